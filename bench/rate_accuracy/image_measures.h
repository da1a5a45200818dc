#ifndef VLMC_BENCH_RATE_ACCURACY_IMAGE_MEASURES_H_
#define VLMC_BENCH_RATE_ACCURACY_IMAGE_MEASURES_H_

#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "models/image/image.h"
#include "models/semantic/detection.h"
#include "models/semantic/detector.h"
#include "models/semantic/token_model.h"

namespace vlmc::bench {

// Detections are kept down to this score, as vlmc-detect-eval does, so the
// AP sees the whole precision-recall curve.
inline constexpr float kMinDetectionScore = 0.05f;

// The frozen models that judge a reconstruction: both COCO detectors and the
// stride-16 token model (CenterNet's backbone). One set per worker thread.
struct SemanticModels {
  std::unique_ptr<semantic::Detector> centernet;
  std::unique_ptr<semantic::Detector> nanodet;
  std::unique_ptr<semantic::TokenModel> tokens;

  // From `model_dir` (scripts/fetch-models.sh's cache); NOT_FOUND with its
  // hint when the files are missing.
  static absl::StatusOr<SemanticModels> Load(const std::string& model_dir);
};

// What the models see in an image.
struct SemanticView {
  std::vector<semantic::Detection> centernet;
  std::vector<semantic::Detection> nanodet;
  torch::Tensor tokens;  // [1, 1024, 88].
};

absl::StatusOr<SemanticView> See(const SemanticModels& models,
                                 const image::Image& img);

// A reconstruction compared with its original.
struct Measures {
  double psnr = 0;     // dB, RGB, 8-bit peak.
  double ms_ssim = 0;  // metrics::MsSsim.
  double token_cosine = 0;
  double token_spectrum = 0;  // metrics::TokenSpectrumDistance.
  SemanticView view;          // Of the reconstruction.
};

// FAILED_PRECONDITION for a lossless reconstruction (infinite PSNR would
// poison the means); INVALID_ARGUMENT for mismatched sizes.
absl::StatusOr<Measures> Measure(const SemanticModels& models,
                                 const image::Image& original,
                                 const SemanticView& original_view,
                                 const image::Image& decoded);

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_RATE_ACCURACY_IMAGE_MEASURES_H_
