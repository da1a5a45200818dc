#ifndef VLMC_MODELS_RATECONTROL_TASK_FIDELITY_H_
#define VLMC_MODELS_RATECONTROL_TASK_FIDELITY_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "models/image/image.h"

namespace vlmc::ratecontrol {

// Measures how well a reconstruction keeps the task signal of ONE original
// image (computed once, when the probe is made). Not thread-safe: one probe
// per request.
class FidelityProbe {
 public:
  virtual ~FidelityProbe() = default;
  // A fidelity in [0, 1] (1: the task sees no difference). The
  // reconstruction must have the original's size (INVALID_ARGUMENT if not).
  virtual absl::StatusOr<double> Measure(
      const image::Image& reconstruction) = 0;
};

// What a task target measures (see proto/vlmc/v1/codec.proto TaskSpec).
enum class TaskMetric {
  // Mean cosine similarity of the stride-16 semantic tokens.
  kTokenCosine,
  // mAP@0.5 of the detections on the reconstruction against the detections
  // on the original (score >= min_score) as pseudo ground truth; 1 when the
  // original has no detections.
  kDetectionAgreement,
};

// Holds the frozen semantic models (token model, CenterNet detector); safe to
// share between threads (calls into the models are serialised inside). Probes
// share the models and may outlive the evaluator.
class TaskEvaluator {
 public:
  virtual ~TaskEvaluator() = default;

  // Loads the models from `semantic_model_dir` (empty: the default cache
  // dir). NOT_FOUND with a hint to run scripts/fetch-models.sh when missing.
  static absl::StatusOr<std::unique_ptr<TaskEvaluator>> Load(
      const std::string& semantic_model_dir);

  // Runs the models on `original` once and returns a probe that scores
  // reconstructions against it.
  virtual absl::StatusOr<std::unique_ptr<FidelityProbe>> MakeProbe(
      TaskMetric metric, const image::Image& original) = 0;
};

}  // namespace vlmc::ratecontrol

#endif  // VLMC_MODELS_RATECONTROL_TASK_FIDELITY_H_
