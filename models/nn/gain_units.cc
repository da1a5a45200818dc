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

torch::Tensor ResampleLadder(const torch::Tensor& log_table,
                             const std::vector<double>& from_lambdas,
                             const std::vector<double>& to_lambdas) {
  const int64_t from_levels = static_cast<int64_t>(from_lambdas.size());
  TORCH_CHECK(from_levels >= 2 && log_table.size(0) == from_levels,
              "a ladder needs at least two levels, one row each");
  std::vector<torch::Tensor> rows;
  rows.reserve(to_lambdas.size());
  for (double lambda : to_lambdas) {
    // The segment [lower, lower + 1] that holds lambda, or the end segment.
    int64_t lower = 0;
    while (lower + 2 < from_levels && lambda > from_lambdas[lower + 1]) ++lower;
    const double t =
        (std::log(lambda) - std::log(from_lambdas[lower])) /
        (std::log(from_lambdas[lower + 1]) - std::log(from_lambdas[lower]));
    rows.push_back(log_table[lower] * (1.0 - t) + log_table[lower + 1] * t);
  }
  return torch::stack(rows);
}

torch::Tensor InterpolateLadder(const torch::Tensor& log_table,
                                const torch::Tensor& quality) {
  const int64_t levels = log_table.size(0);
  // The position is float32 on every path (also for a float64 table), so the
  // float32 encoder and the float64 decoder interpolate at the same point.
  torch::Tensor position = quality.to(torch::kFloat32).clamp(0.0, 1.0) *
                           static_cast<double>(levels - 1);
  torch::Tensor lower = position.floor().clamp_max(levels - 2).to(torch::kLong);
  torch::Tensor t = (position - lower.to(torch::kFloat32)).unsqueeze(1);
  return log_table.index_select(0, lower) * (1.0 - t) +
         log_table.index_select(0, lower + 1) * t;
}

torch::Tensor GainUnitsImpl::Gain(const torch::Tensor& quality) {
  return torch::exp(InterpolateLadder(log_gain_, quality))
      .unsqueeze(-1)
      .unsqueeze(-1);
}

torch::Tensor GainUnitsImpl::InverseGain(const torch::Tensor& quality) {
  return torch::exp(InterpolateLadder(log_inverse_gain_, quality))
      .unsqueeze(-1)
      .unsqueeze(-1);
}

}  // namespace vlmc::nn
