#ifndef VLMC_MODELS_CODEC_TENSOR_HYPER_SYNTHESIS_H_
#define VLMC_MODELS_CODEC_TENSOR_HYPER_SYNTHESIS_H_

#include <torch/torch.h>

#include <vector>

#include "absl/status/statusor.h"
#include "models/codec/integer_hyper_synthesis.h"

namespace vlmc::codec {

// IntegerHyperSynthesis computed with LibTorch tensor operations, so that it
// runs as matrix products on any device (a GPU included) and still gives
// exactly the integers FORMAT.md specifies.
//
// Each integer convolution is done in float64 without rounding: activations
// are split into two 14-bit limbs (a = hi * 2^14 + lo), and each limb is
// convolved by im2col + matmul. Every product W * limb and every partial sum
// is then an integer below 2^53, which float64 holds exactly whatever the
// order of summation, blocking or FMA use of the BLAS; Create checks that
// bound from the weights. The two limb sums are recombined, the bias added
// and the result requantised in int64.
class TensorHyperSynthesis {
 public:
  // Converts IntegerHyperSynthesis::layers() for `device`. INVALID_ARGUMENT
  // if a layer is too wide for the float64 bound (never so for 3x3 layers of
  // fewer than 1820 input channels).
  static absl::StatusOr<TensorHyperSynthesis> Create(
      const std::vector<IntegerConvLayer>& layers, torch::Device device);

  struct Output {
    torch::Tensor means;   // int32 [M, 4h, 4w] on the device
    torch::Tensor scales;  // int32 [M, 4h, 4w] on the device
  };
  // `z`: integer [N, h, w] on any device; values are clamped to
  // +-IntegerHyperSynthesis::kMaxInput as in the reference.
  Output Run(const torch::Tensor& z) const;

 private:
  struct Layer {
    torch::Tensor weights;  // float64 [out, in * 9], im2col order
    torch::Tensor biases;   // int64 [out, 1]
    int requantise_shift = 0;
    bool upsample = false;
  };
  explicit TensorHyperSynthesis(std::vector<Layer> layers)
      : layers_(std::move(layers)) {}

  // One layer on a zero-padded int64 [in, h + 2, w + 2] input: int64
  // [out, h, w] activations (before any PixelShuffle).
  torch::Tensor Convolve(const Layer& layer, const torch::Tensor& padded) const;

  std::vector<Layer> layers_;
};

}  // namespace vlmc::codec

#endif  // VLMC_MODELS_CODEC_TENSOR_HYPER_SYNTHESIS_H_
