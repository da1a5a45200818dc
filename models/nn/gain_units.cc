#include "models/nn/gain_units.h"

#include <cmath>

namespace vlmc::nn {

GainUnitsImpl::GainUnitsImpl(int64_t channels,
                             const std::vector<double>& level_lambdas)
    : levels_(static_cast<int64_t>(level_lambdas.size())) {
  TORCH_CHECK(levels_ >= 2, "gain units need at least two levels");
  double mean_log_lambda = 0.0;
  for (double lambda : level_lambdas) mean_log_lambda += std::log(lambda);
  mean_log_lambda /= static_cast<double>(levels_);
  torch::Tensor init = torch::empty({levels_, 1});
  for (int64_t l = 0; l < levels_; ++l) {
    init[l][0] = 0.5 * (std::log(level_lambdas[l]) - mean_log_lambda);
  }
  log_gain_ = register_parameter("log_gain", init.repeat({1, channels}));
  log_inverse_gain_ =
      register_parameter("log_inverse_gain", (-init).repeat({1, channels}));
}

torch::Tensor GainUnitsImpl::Interpolate(const torch::Tensor& log_table,
                                         const torch::Tensor& quality) {
  torch::Tensor position = quality.to(torch::kFloat32).clamp(0.0, 1.0) *
                           static_cast<double>(levels_ - 1);
  torch::Tensor lower =
      position.floor().clamp_max(levels_ - 2).to(torch::kLong);
  torch::Tensor t = (position - lower.to(torch::kFloat32)).unsqueeze(1);
  torch::Tensor log_gain = log_table.index_select(0, lower) * (1.0 - t) +
                           log_table.index_select(0, lower + 1) * t;
  return torch::exp(log_gain).unsqueeze(-1).unsqueeze(-1);
}

torch::Tensor GainUnitsImpl::Gain(const torch::Tensor& quality) {
  return Interpolate(log_gain_, quality);
}

torch::Tensor GainUnitsImpl::InverseGain(const torch::Tensor& quality) {
  return Interpolate(log_inverse_gain_, quality);
}

}  // namespace vlmc::nn
