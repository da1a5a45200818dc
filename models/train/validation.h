#ifndef VLMC_MODELS_TRAIN_VALIDATION_H_
#define VLMC_MODELS_TRAIN_VALIDATION_H_

#include <torch/torch.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "models/codec/codec_config.h"
#include "models/codec/hyperprior_network.h"

namespace vlmc::train {

// Full-size validation images, each [1, 3, H', W'] padded to multiples of 64
// as the encoder pads them, with their original sizes.
struct ValidationImage {
  torch::Tensor padded;
  int64_t height = 0, width = 0;
};

absl::StatusOr<std::vector<ValidationImage>> LoadValidationImages(
    const std::vector<std::string>& paths);

// Means over the images at one quality.
struct ValidationPoint {
  double quality = 0, lambda = 0;
  double bpp = 0;   // bits of the rounded y and z under the network's own
                    // entropy models (the stream adds a few % of framing)
  double psnr = 0;  // of the 8-bit decode against the original pixels
};

struct ValidationResult {
  std::vector<ValidationPoint> points;
  // The training objective on the full images: per image the mean over the
  // qualities of w(q) * (bpp + lambda(q) * 255^2 * MSE), with the training
  // loss's level weights w = (lambda_min / lambda)^level_balance; then the
  // mean over the images. Lower is better.
  double score = 0;
};

// Codes every image at every quality with rounding (no noise), in eval mode
// and without gradients; restores the network's training mode.
ValidationResult Validate(codec::HyperpriorNetwork& network,
                          const codec::CodecConfig& config,
                          const std::vector<ValidationImage>& images,
                          const std::vector<double>& qualities,
                          double level_balance);

// "step score q=.. bpp psnr ..." for the log; Tsv* for validation.tsv.
std::string FormatValidation(int64_t step, const ValidationResult& result);
std::string ValidationTsvHeader(const ValidationResult& result);
std::string ValidationTsvRow(int64_t step, const ValidationResult& result);

}  // namespace vlmc::train

#endif  // VLMC_MODELS_TRAIN_VALIDATION_H_
