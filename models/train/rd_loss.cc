#include "models/train/rd_loss.h"

#include <cmath>

#include "models/nn/gain_units.h"

namespace vlmc::train {

torch::Tensor LambdaForQuality(const codec::CodecConfig& config,
                               const torch::Tensor& quality) {
  const int64_t levels = static_cast<int64_t>(config.level_lambdas.size());
  torch::Tensor log_table = torch::empty({levels, 1});
  for (int64_t l = 0; l < levels; ++l)
    log_table[l][0] = std::log(config.level_lambdas[l]);
  return torch::exp(
             nn::InterpolateLadder(log_table.to(quality.device()), quality))
      .squeeze(1);
}

torch::Tensor LevelBalanceWeights(const torch::Tensor& lambda,
                                  double lambda_min, double power) {
  return torch::pow(lambda_min / lambda, power);
}

RdTerms RateDistortion(const codec::TrainingOutput& out, const torch::Tensor& x,
                       const torch::Tensor& lambda,
                       const torch::Tensor& weights) {
  const double pixels = static_cast<double>(x.size(2) * x.size(3));
  const double inv_log2 = -1.0 / std::log(2.0);
  torch::Tensor bits = torch::log(out.y_likelihood).sum({1, 2, 3}) * inv_log2 +
                       torch::log(out.z_likelihood).sum({1, 2, 3}) * inv_log2;
  RdTerms terms;
  terms.bpp = bits / pixels;
  terms.mse = (out.x_hat - x).square().mean({1, 2, 3});
  terms.loss =
      (weights * (terms.bpp + lambda * (255.0 * 255.0) * terms.mse)).mean();
  return terms;
}

}  // namespace vlmc::train
