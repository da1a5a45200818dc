#include "models/train/rd_loss.h"

#include <cmath>

namespace vlmc::train {

torch::Tensor LambdaForQuality(const codec::CodecConfig& config,
                               const torch::Tensor& quality) {
  const int64_t levels = static_cast<int64_t>(config.level_lambdas.size());
  torch::Tensor log_table = torch::empty({levels});
  for (int64_t l = 0; l < levels; ++l)
    log_table[l] = std::log(config.level_lambdas[l]);
  torch::Tensor position =
      quality.to(torch::kFloat32).clamp(0.0, 1.0) * (levels - 1);
  torch::Tensor lower = position.floor().clamp_max(levels - 2).to(torch::kLong);
  torch::Tensor t = position - lower.to(torch::kFloat32);
  return torch::exp(log_table.index_select(0, lower) * (1.0 - t) +
                    log_table.index_select(0, lower + 1) * t)
      .to(quality.device());
}

RdTerms RateDistortion(const codec::TrainingOutput& out, const torch::Tensor& x,
                       const torch::Tensor& lambda) {
  const double pixels = static_cast<double>(x.size(2) * x.size(3));
  const double inv_log2 = -1.0 / std::log(2.0);
  torch::Tensor bits = torch::log(out.y_likelihood).sum({1, 2, 3}) * inv_log2 +
                       torch::log(out.z_likelihood).sum({1, 2, 3}) * inv_log2;
  RdTerms terms;
  terms.bpp = bits / pixels;
  terms.mse = (out.x_hat - x).square().mean({1, 2, 3});
  terms.loss = (terms.bpp + lambda * (255.0 * 255.0) * terms.mse).mean();
  return terms;
}

}  // namespace vlmc::train
