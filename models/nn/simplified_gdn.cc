#include "models/nn/simplified_gdn.h"

#include "models/nn/layers.h"

namespace vlmc::nn {
namespace {
constexpr double kBetaMin = 1e-6;
constexpr double kGammaInit = 0.1;
}  // namespace

SimplifiedGdnImpl::SimplifiedGdnImpl(int64_t channels, bool inverse)
    : inverse_(inverse) {
  beta_ = register_parameter("beta", torch::ones({channels}));
  gamma_ = register_parameter(
      "gamma",
      (torch::eye(channels) * kGammaInit).view({channels, channels, 1, 1}));
}

torch::Tensor SimplifiedGdnImpl::forward(const torch::Tensor& x) {
  torch::Tensor beta = LowerBound(beta_, kBetaMin);
  torch::Tensor gamma = LowerBound(gamma_, 0.0);
  torch::Tensor norm = torch::conv2d(torch::abs(x), gamma, beta);
  return inverse_ ? x * norm : x / norm;
}

}  // namespace vlmc::nn
