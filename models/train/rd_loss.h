#ifndef VLMC_MODELS_TRAIN_RD_LOSS_H_
#define VLMC_MODELS_TRAIN_RD_LOSS_H_

#include <torch/torch.h>

#include "models/codec/codec_config.h"
#include "models/codec/hyperprior_network.h"

namespace vlmc::train {

// Per-sample terms of the rate-distortion objective.
struct RdTerms {
  torch::Tensor bpp;   // [B] bits per pixel of y and z
  torch::Tensor mse;   // [B] on [0, 1] pixels
  torch::Tensor loss;  // scalar: mean(bpp + lambda(q) * 255^2 * mse)
};

// Lambda for each quality, log-linear along the config's level ladder
// (the same mapping as CodecConfig::LambdaForQuality).
torch::Tensor LambdaForQuality(const codec::CodecConfig& config,
                               const torch::Tensor& quality);

RdTerms RateDistortion(const codec::TrainingOutput& out, const torch::Tensor& x,
                       const torch::Tensor& lambda);

}  // namespace vlmc::train

#endif  // VLMC_MODELS_TRAIN_RD_LOSS_H_
