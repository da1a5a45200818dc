#include "models/ratecontrol/task_fidelity.h"

#include <torch/torch.h>

#include <algorithm>
#include <mutex>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "models/metrics/detection_metrics.h"
#include "models/metrics/token_metrics.h"
#include "models/semantic/detector.h"
#include "models/semantic/preprocess.h"
#include "models/semantic/token_model.h"

namespace vlmc::ratecontrol {
namespace {

// Detections on a reconstruction down to this score, as bench/detect_eval
// does, so that the AP sees the whole precision-recall curve.
constexpr float kDetectionMinScore = 0.05f;

// The frozen models, shared by the evaluator and its probes (so a probe may
// outlive the evaluator). The interpreter and the detector keep state per
// call, hence one mutex around every model call.
struct SemanticModels {
  std::mutex mu;
  std::unique_ptr<semantic::TokenModel> token_model;
  std::unique_ptr<semantic::Detector> detector;

  // [1, n, C] stride-16 tokens of `image`.
  absl::StatusOr<torch::Tensor> Tokens(const image::Image& image) {
    torch::NoGradGuard no_grad;
    // ImageToTensor gives [0, 255]; the token model takes the codec's [0, 1].
    const torch::Tensor x =
        semantic::ImageToTensor(image, torch::kCPU).div(255.0f);
    std::lock_guard<std::mutex> lock(mu);
    return token_model->Tokens(x);
  }

  absl::StatusOr<std::vector<semantic::Detection>> Detect(
      const image::Image& image) {
    torch::NoGradGuard no_grad;
    std::lock_guard<std::mutex> lock(mu);
    return detector->Detect(image, kDetectionMinScore);
  }
};

absl::Status CheckSameSize(const image::Image& reconstruction, int width,
                           int height) {
  if (absl::Status s = image::ValidateImage(reconstruction); !s.ok()) return s;
  if (reconstruction.width != width || reconstruction.height != height) {
    return absl::InvalidArgumentError(absl::StrCat(
        "reconstruction is ", reconstruction.width, "x", reconstruction.height,
        ", the original ", width, "x", height));
  }
  return absl::OkStatus();
}

class TokenCosineProbe : public FidelityProbe {
 public:
  TokenCosineProbe(std::shared_ptr<SemanticModels> models, int width,
                   int height, torch::Tensor original_tokens)
      : models_(std::move(models)),
        width_(width),
        height_(height),
        original_tokens_(std::move(original_tokens)) {}

  absl::StatusOr<double> Measure(const image::Image& reconstruction) override {
    if (absl::Status s = CheckSameSize(reconstruction, width_, height_);
        !s.ok()) {
      return s;
    }
    absl::StatusOr<torch::Tensor> tokens = models_->Tokens(reconstruction);
    if (!tokens.ok()) return tokens.status();
    const double cosine =
        metrics::MeanTokenCosine(original_tokens_, *tokens).item<double>();
    return std::clamp(cosine, 0.0, 1.0);
  }

 private:
  std::shared_ptr<SemanticModels> models_;
  int width_, height_;
  torch::Tensor original_tokens_;
};

class DetectionAgreementProbe : public FidelityProbe {
 public:
  DetectionAgreementProbe(std::shared_ptr<SemanticModels> models, int width,
                          int height,
                          std::vector<semantic::Detection> pseudo_truth)
      : models_(std::move(models)),
        width_(width),
        height_(height),
        pseudo_truth_(std::move(pseudo_truth)) {}

  absl::StatusOr<double> Measure(const image::Image& reconstruction) override {
    if (absl::Status s = CheckSameSize(reconstruction, width_, height_);
        !s.ok()) {
      return s;
    }
    // Nothing to lose: any reconstruction agrees.
    if (pseudo_truth_.empty()) return 1.0;
    absl::StatusOr<std::vector<semantic::Detection>> detections =
        models_->Detect(reconstruction);
    if (!detections.ok()) return detections.status();
    return metrics::EvaluateDetections(
               {{pseudo_truth_, *std::move(detections)}})
        .map50;
  }

 private:
  std::shared_ptr<SemanticModels> models_;
  int width_, height_;
  std::vector<semantic::Detection> pseudo_truth_;
};

class SemanticTaskEvaluator : public TaskEvaluator {
 public:
  explicit SemanticTaskEvaluator(std::shared_ptr<SemanticModels> models)
      : models_(std::move(models)) {}

  absl::StatusOr<std::unique_ptr<FidelityProbe>> MakeProbe(
      TaskMetric metric, const image::Image& original) override {
    if (absl::Status s = image::ValidateImage(original); !s.ok()) return s;
    switch (metric) {
      case TaskMetric::kTokenCosine: {
        absl::StatusOr<torch::Tensor> tokens = models_->Tokens(original);
        if (!tokens.ok()) return tokens.status();
        return std::make_unique<TokenCosineProbe>(
            models_, original.width, original.height, *std::move(tokens));
      }
      case TaskMetric::kDetectionAgreement: {
        absl::StatusOr<std::vector<semantic::Detection>> detections =
            models_->Detect(original);
        if (!detections.ok()) return detections.status();
        return std::make_unique<DetectionAgreementProbe>(
            models_, original.width, original.height,
            metrics::PseudoGroundTruth(*detections));
      }
    }
    return absl::InvalidArgumentError("unknown task metric");
  }

 private:
  std::shared_ptr<SemanticModels> models_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<TaskEvaluator>> TaskEvaluator::Load(
    const std::string& semantic_model_dir) {
  const std::string dir = semantic_model_dir.empty()
                              ? semantic::DefaultSemanticModelDir()
                              : semantic_model_dir;
  auto models = std::make_shared<SemanticModels>();
  semantic::TokenModelOptions token_options;
  token_options.strides = {16};
  token_options.model_dir = dir;
  absl::StatusOr<std::unique_ptr<semantic::TokenModel>> token_model =
      semantic::TokenModel::Load(token_options);
  if (!token_model.ok()) return token_model.status();
  models->token_model = *std::move(token_model);
  absl::StatusOr<std::unique_ptr<semantic::Detector>> detector =
      semantic::Detector::Load(semantic::DetectorKind::kCenterNet, dir);
  if (!detector.ok()) return detector.status();
  models->detector = *std::move(detector);
  return std::make_unique<SemanticTaskEvaluator>(std::move(models));
}

}  // namespace vlmc::ratecontrol
