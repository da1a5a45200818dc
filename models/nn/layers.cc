#include "models/nn/layers.h"

namespace vlmc::nn {

torch::nn::Conv2d Conv(int64_t in, int64_t out, int64_t kernel,
                       int64_t stride) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, kernel)
                               .stride(stride)
                               .padding(kernel / 2));
}

SubpixelUpImpl::SubpixelUpImpl(int64_t in, int64_t out, int64_t factor)
    : factor_(factor) {
  conv_ = register_module("conv", Conv(in, out * factor * factor, 3, 1));
}

torch::Tensor SubpixelUpImpl::forward(const torch::Tensor& x) {
  return torch::pixel_shuffle(conv_->forward(x), factor_);
}

torch::Tensor LowerBoundStraightThrough(const torch::Tensor& x, double bound) {
  return x + (x.clamp_min(bound) - x).detach();
}

torch::Tensor RoundStraightThrough(const torch::Tensor& x) {
  return x + (torch::round(x) - x).detach();
}

}  // namespace vlmc::nn
