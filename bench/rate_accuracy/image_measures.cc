#include "bench/rate_accuracy/image_measures.h"

#include <cmath>
#include <utility>

#include "absl/status/status.h"
#include "models/image/metrics.h"
#include "models/metrics/ms_ssim.h"
#include "models/metrics/token_metrics.h"
#include "models/semantic/preprocess.h"

namespace vlmc::bench {

absl::StatusOr<SemanticModels> SemanticModels::Load(
    const std::string& model_dir) {
  SemanticModels models;
  absl::StatusOr<std::unique_ptr<semantic::Detector>> centernet =
      semantic::Detector::Load(semantic::DetectorKind::kCenterNet, model_dir);
  if (!centernet.ok()) return centernet.status();
  absl::StatusOr<std::unique_ptr<semantic::Detector>> nanodet =
      semantic::Detector::Load(semantic::DetectorKind::kNanoDet, model_dir);
  if (!nanodet.ok()) return nanodet.status();
  semantic::TokenModelOptions options;
  options.model_dir = model_dir;
  absl::StatusOr<std::unique_ptr<semantic::TokenModel>> tokens =
      semantic::TokenModel::Load(options);
  if (!tokens.ok()) return tokens.status();
  models.centernet = *std::move(centernet);
  models.nanodet = *std::move(nanodet);
  models.tokens = *std::move(tokens);
  return models;
}

absl::StatusOr<SemanticView> See(const SemanticModels& models,
                                 const image::Image& img) {
  torch::NoGradGuard no_grad;
  SemanticView view;
  absl::StatusOr<std::vector<semantic::Detection>> centernet =
      models.centernet->Detect(img, kMinDetectionScore);
  if (!centernet.ok()) return centernet.status();
  absl::StatusOr<std::vector<semantic::Detection>> nanodet =
      models.nanodet->Detect(img, kMinDetectionScore);
  if (!nanodet.ok()) return nanodet.status();
  // ImageToTensor gives [0, 255]; the token model takes the codec's [0, 1].
  absl::StatusOr<torch::Tensor> tokens = models.tokens->Tokens(
      semantic::ImageToTensor(img, torch::kCPU).div(255.0f));
  if (!tokens.ok()) return tokens.status();
  view.centernet = *std::move(centernet);
  view.nanodet = *std::move(nanodet);
  view.tokens = *std::move(tokens);
  return view;
}

absl::StatusOr<Measures> Measure(const SemanticModels& models,
                                 const image::Image& original,
                                 const SemanticView& original_view,
                                 const image::Image& decoded) {
  Measures m;
  absl::StatusOr<double> psnr = image::Psnr(original, decoded);
  if (!psnr.ok()) return psnr.status();
  if (!std::isfinite(*psnr)) {
    return absl::FailedPreconditionError(
        "the reconstruction is lossless (infinite PSNR); choose a lower "
        "rate point");
  }
  absl::StatusOr<double> ms_ssim = metrics::MsSsim(original, decoded);
  if (!ms_ssim.ok()) return ms_ssim.status();
  absl::StatusOr<SemanticView> view = See(models, decoded);
  if (!view.ok()) return view.status();
  torch::NoGradGuard no_grad;
  m.psnr = *psnr;
  m.ms_ssim = *ms_ssim;
  m.token_cosine = metrics::MeanTokenCosine(original_view.tokens, view->tokens)
                       .item<double>();
  m.token_spectrum =
      metrics::TokenSpectrumDistance(original_view.tokens, view->tokens)
          .item<double>();
  m.view = *std::move(view);
  return m;
}

}  // namespace vlmc::bench
