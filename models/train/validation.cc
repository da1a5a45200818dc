#include "models/train/validation.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "models/codec/image_tensor.h"
#include "models/image/image_io.h"
#include "models/train/rd_loss.h"

namespace vlmc::train {
absl::StatusOr<std::vector<ValidationImage>> LoadValidationImages(
    const std::vector<std::string>& paths) {
  std::vector<ValidationImage> images;
  for (const std::string& path : paths) {
    absl::StatusOr<image::Image> img = image::ReadImageFile(path);
    if (!img.ok()) return img.status();
    images.push_back({codec::PaddedImageTensor(*img), img->height, img->width});
  }
  return images;
}

ValidationResult Validate(codec::HyperpriorNetwork& network,
                          const codec::CodecConfig& config,
                          const std::vector<ValidationImage>& images,
                          const std::vector<double>& qualities,
                          double level_balance) {
  const bool was_training = network->is_training();
  network->eval();
  torch::NoGradGuard no_grad;
  const torch::Device device = network->parameters().front().device();
  ValidationResult result;
  // The training loss's per-crop level weight of each quality.
  std::vector<double> level_weights;
  for (double q : qualities) {
    ValidationPoint point;
    point.quality = q;
    const torch::Tensor lambda = LambdaForQuality(config, torch::full({1}, q));
    point.lambda = lambda.item<double>();
    level_weights.push_back(
        LevelBalanceWeights(lambda, config.level_lambdas.front(), level_balance)
            .item<double>());
    result.points.push_back(point);
  }
  for (const ValidationImage& image : images) {
    const torch::Tensor x = image.padded.to(device);
    const double pixels = static_cast<double>(image.height * image.width);
    double image_score = 0;
    for (size_t i = 0; i < result.points.size(); ++i) {
      ValidationPoint& point = result.points[i];
      const torch::Tensor quality = torch::full(
          {1}, point.quality, torch::TensorOptions().device(device));
      const torch::Tensor y = network->Analysis(x, quality);
      const torch::Tensor z_hat = torch::round(network->HyperAnalysis(y));
      auto [means, scales] = network->HyperSynthesis(z_hat);
      const torch::Tensor y_hat = torch::round(y - means) + means;
      const double bits =
          -(torch::log2(network->ZLikelihood(z_hat, quality)).sum() +
            torch::log2(codec::GaussianLikelihood(y_hat, means, scales)).sum())
               .item<double>();
      const torch::Tensor decoded =
          (network->Synthesis(y_hat, quality).clamp(0, 1) * 255).round() / 255;
      using torch::indexing::Slice;
      const double mse =
          (decoded.index({Slice(), Slice(), Slice(0, image.height),
                          Slice(0, image.width)}) -
           x.index({Slice(), Slice(), Slice(0, image.height),
                    Slice(0, image.width)}))
              .square()
              .mean()
              .item<double>();
      const double bpp = bits / pixels;
      point.bpp += bpp / images.size();
      point.psnr += -10.0 * std::log10(std::max(mse, 1e-10)) / images.size();
      image_score +=
          level_weights[i] * (bpp + point.lambda * 255.0 * 255.0 * mse);
    }
    result.score += image_score / result.points.size() / images.size();
  }
  if (was_training) network->train();
  return result;
}

std::string FormatValidation(int64_t step, const ValidationResult& result) {
  std::string line =
      absl::StrFormat("validation step %d  score %.5f", step, result.score);
  for (const ValidationPoint& p : result.points) {
    absl::StrAppendFormat(&line, "  q%.2f %.4f bpp %.2f dB", p.quality, p.bpp,
                          p.psnr);
  }
  return line + "\n";
}

std::string ValidationTsvHeader(const ValidationResult& result) {
  std::string header = "step\tscore";
  for (const ValidationPoint& p : result.points) {
    absl::StrAppendFormat(&header, "\tbpp_q%.2f\tpsnr_q%.2f", p.quality,
                          p.quality);
  }
  return header + "\n";
}

std::string ValidationTsvRow(int64_t step, const ValidationResult& result) {
  std::string row = absl::StrFormat("%d\t%.6f", step, result.score);
  for (const ValidationPoint& p : result.points)
    absl::StrAppendFormat(&row, "\t%.5f\t%.4f", p.bpp, p.psnr);
  return row + "\n";
}

}  // namespace vlmc::train
