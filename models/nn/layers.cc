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

namespace {

class LowerBoundFunction
    : public torch::autograd::Function<LowerBoundFunction> {
 public:
  static torch::Tensor forward(torch::autograd::AutogradContext* context,
                               const torch::Tensor& x, double bound) {
    context->save_for_backward({x});
    context->saved_data["bound"] = bound;
    return x.clamp_min(bound);
  }

  static torch::autograd::variable_list backward(
      torch::autograd::AutogradContext* context,
      torch::autograd::variable_list grad_outputs) {
    const torch::Tensor x = context->get_saved_variables()[0];
    const double bound = context->saved_data["bound"].toDouble();
    const torch::Tensor& grad = grad_outputs[0];
    // A negative gradient raises x in a descent step.
    const torch::Tensor passes = (x >= bound).logical_or(grad < 0);
    return {grad * passes.to(grad.scalar_type()), torch::Tensor()};
  }
};

}  // namespace

torch::Tensor LowerBound(const torch::Tensor& x, double bound) {
  return LowerBoundFunction::apply(x, bound);
}

torch::Tensor RoundStraightThrough(const torch::Tensor& x) {
  return x + (torch::round(x) - x).detach();
}

}  // namespace vlmc::nn
