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
  torch::Tensor loss;  // scalar: mean(weight * (bpp + lambda * 255^2 * mse))
};

// Lambda for each quality, log-linear along the config's level ladder (the
// same interpolation as the gain units).
torch::Tensor LambdaForQuality(const codec::CodecConfig& config,
                               const torch::Tensor& quality);

// Per-crop loss weight (lambda_min / lambda)^power. The loss of a crop grows
// roughly as sqrt(lambda) along the ladder, so unweighted (power 0) the top
// levels decide the shared transforms and the low-rate levels barely learn;
// power 0.5 gives every level a similar share of the gradient.
torch::Tensor LevelBalanceWeights(const torch::Tensor& lambda,
                                  double lambda_min, double power);

RdTerms RateDistortion(const codec::TrainingOutput& out, const torch::Tensor& x,
                       const torch::Tensor& lambda,
                       const torch::Tensor& weights);

}  // namespace vlmc::train

#endif  // VLMC_MODELS_TRAIN_RD_LOSS_H_
