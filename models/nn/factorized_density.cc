#include "models/nn/factorized_density.h"

#include <cmath>
#include <string>

#include "models/nn/layers.h"

namespace vlmc::nn {
namespace {
constexpr double kLikelihoodBound = 1e-9;
}  // namespace

FactorizedDensityImpl::FactorizedDensityImpl(int64_t channels,
                                             std::vector<int64_t> hidden,
                                             double init_scale)
    : channels_(channels) {
  std::vector<int64_t> dims = {1};
  dims.insert(dims.end(), hidden.begin(), hidden.end());
  dims.push_back(1);
  const size_t layers = dims.size() - 1;
  const double scale = std::pow(init_scale, 1.0 / static_cast<double>(layers));
  for (size_t i = 0; i < layers; ++i) {
    const double init = std::log(std::expm1(1.0 / scale / dims[i + 1]));
    matrices_.push_back(register_parameter(
        "matrix" + std::to_string(i),
        torch::full({channels, dims[i + 1], dims[i]}, init)));
    biases_.push_back(
        register_parameter("bias" + std::to_string(i),
                           torch::rand({channels, dims[i + 1], 1}) - 0.5));
    if (i + 1 < layers) {
      factors_.push_back(
          register_parameter("factor" + std::to_string(i),
                             torch::zeros({channels, dims[i + 1], 1})));
    }
  }
}

torch::Tensor FactorizedDensityImpl::CumulativeLogits(const torch::Tensor& x) {
  torch::Tensor logits = x;
  for (size_t i = 0; i < matrices_.size(); ++i) {
    logits = torch::matmul(torch::softplus(matrices_[i]), logits) + biases_[i];
    if (i < factors_.size()) {
      logits = logits + torch::tanh(factors_[i]) * torch::tanh(logits);
    }
  }
  return logits;
}

torch::Tensor FactorizedDensityImpl::Likelihood(const torch::Tensor& z) {
  // [B, C, H, W] -> [C, 1, B*H*W] so each channel runs through its own network.
  const auto shape = z.sizes().vec();
  torch::Tensor values = z.transpose(0, 1).reshape({channels_, 1, -1});
  torch::Tensor lower = CumulativeLogits(values - 0.5);
  torch::Tensor upper = CumulativeLogits(values + 0.5);
  // Evaluate in the tail where sigmoid differences are accurate.
  torch::Tensor sign = -torch::sign(lower + upper).detach();
  torch::Tensor likelihood =
      torch::abs(torch::sigmoid(sign * upper) - torch::sigmoid(sign * lower));
  likelihood = likelihood.reshape({channels_, shape[0], shape[2], shape[3]})
                   .transpose(0, 1);
  return LowerBound(likelihood, kLikelihoodBound);
}

torch::Tensor FactorizedDensityImpl::IntegerPmf(int64_t lo, int64_t hi) {
  torch::Tensor values = torch::arange(lo, hi + 1, torch::kFloat32)
                             .view({1, 1, -1})
                             .expand({channels_, 1, -1});
  torch::Tensor lower = CumulativeLogits(values - 0.5);
  torch::Tensor upper = CumulativeLogits(values + 0.5);
  torch::Tensor sign = -torch::sign(lower + upper);
  return torch::abs(torch::sigmoid(sign * upper) - torch::sigmoid(sign * lower))
      .squeeze(1);
}

}  // namespace vlmc::nn
