#ifndef VLMC_MODELS_NN_LAYERS_H_
#define VLMC_MODELS_NN_LAYERS_H_

#include <torch/torch.h>

namespace vlmc::nn {

// k x k convolution with "same" padding and the given stride.
torch::nn::Conv2d Conv(int64_t in, int64_t out, int64_t kernel, int64_t stride);

// `factor`x upsampling by a 3x3 convolution to factor^2 x channels and a
// pixel shuffle. Used instead of ConvTranspose2d: same receptive field,
// several times faster on CPU with Debian's LibTorch (no transposed-convolution
// BLAS path). A transposed convolution of stride s with kernel K <= 2s + 1 and
// padding s (e.g. 5x5 stride 2, 9x9 stride 4) is exactly one of these.
class SubpixelUpImpl : public torch::nn::Module {
 public:
  SubpixelUpImpl(int64_t in, int64_t out, int64_t factor = 2);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  int64_t factor_;
  torch::nn::Conv2d conv_{nullptr};
};
TORCH_MODULE(SubpixelUp);

// Lower bound: the forward pass clamps to `bound`. Below the bound the
// gradient passes only where it would raise x, so a value there can recover
// but is never pushed further down (an identity gradient let the entropy
// model's scales drift far below the bound, where the rate cannot see them,
// and the lowest quality level's rate jumped when latents moved).
torch::Tensor LowerBound(const torch::Tensor& x, double bound);

// Rounding whose gradient is the identity (for the decoder path in training).
torch::Tensor RoundStraightThrough(const torch::Tensor& x);

}  // namespace vlmc::nn

#endif  // VLMC_MODELS_NN_LAYERS_H_
