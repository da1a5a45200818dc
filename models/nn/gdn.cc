#include "models/nn/gdn.h"

namespace vlmc::nn {
namespace {
constexpr double kBetaMin = 1e-6;
constexpr double kGammaInit = 0.1;
}  // namespace

GdnImpl::GdnImpl(int64_t channels, bool inverse) : inverse_(inverse) {
  beta_root_ = register_parameter("beta_root", torch::ones({channels}));
  gamma_root_ = register_parameter(
      "gamma_root", (torch::eye(channels) * std::sqrt(kGammaInit))
                        .view({channels, channels, 1, 1}));
}

torch::Tensor GdnImpl::forward(const torch::Tensor& x) {
  torch::Tensor beta = beta_root_.square() + kBetaMin;
  torch::Tensor gamma = gamma_root_.square();
  torch::Tensor norm = torch::conv2d(x.square(), gamma, beta);
  return inverse_ ? x * torch::sqrt(norm) : x * torch::rsqrt(norm);
}

}  // namespace vlmc::nn
