#ifndef VLMC_MODELS_CODEC_INTEGER_HYPER_SYNTHESIS_H_
#define VLMC_MODELS_CODEC_INTEGER_HYPER_SYNTHESIS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/base/call_once.h"
#include "absl/status/statusor.h"
#include "models/codec/hyperprior_network.h"
#include "models/codec/integer_winograd.h"

namespace vlmc::codec {

// One 3x3 "same" convolution of IntegerHyperSynthesis.
struct IntegerConvLayer {
  int64_t in_channels = 0, out_channels = 0;
  int input_fraction_bits = 0;
  int64_t input_limit = 0;       // |input| <= this (clamp or saturation)
  int weight_shift = 0;          // W = round(w * 2^weight_shift)
  std::vector<int32_t> weights;  // [out][ky][kx][in]
  std::vector<int64_t> biases;   // round(b * 2^(weight_shift + input bits))
  bool upsample = false;         // PixelShuffle(2), then LeakyReLU(0.01)
};

// How IntegerHyperSynthesis computes its convolutions; both give the same
// integers.
enum class IntegerConvMethod {
  kWinograd,  // F(2x2, 3x3) where the bound allows, else direct (default)
  kDirect,    // 9 products per input and output channel (tests compare)
};

// The hyper-synthesis h_s of HyperpriorNetwork (3x3 conv + PixelShuffle(2),
// LeakyReLU, the same again, 3x3 conv to {means, scales}) in integer
// arithmetic only, so that every machine computes the same means and scales
// for a given z and the entropy decoder of a format-2 stream always agrees
// with its encoder (FORMAT.md, "Integer hyper-synthesis", states the rules).
//
// Weights are integers W = round(w * 2^shift) with a per-layer power-of-two
// shift (exact for the shipped float16 weights), activations int32 with
// kFractionBits fractional bits saturated to +-kActivationLimit, sums in
// int64; FromNetwork proves from the weights that no sum can overflow for
// any input.
class IntegerHyperSynthesis {
 public:
  static constexpr int kFractionBits = 16;
  static constexpr int32_t kActivationLimit = 1 << 27;  // 2048.0
  static constexpr int32_t kMaxInput = 1 << 20;         // |z| is clamped here
  static constexpr int kMaxWeightShift = 24;
  static constexpr int kWeightBits = 25;  // |W| <= 2^kWeightBits

  // Means and scales of the latent, channel-major [M, 4h, 4w] for a z map of
  // h x w; each value v stands for v / 2^kFractionBits.
  struct Output {
    int64_t channels = 0, height = 0, width = 0;
    std::vector<int32_t> means, scales;
  };

  // Converts the h_s weights of `network`. INVALID_ARGUMENT if they do not
  // fit the integer format (a weight of 2^8 or more in the first layer, one
  // of 2^24 or more elsewhere, non-finite values, sums that could overflow).
  static absl::StatusOr<IntegerHyperSynthesis> FromNetwork(
      HyperpriorNetwork& network,
      IntegerConvMethod method = IntegerConvMethod::kWinograd);

  // `z` is channel-major [N, height, width]. Runs on LibTorch's intra-op
  // threads; the result does not depend on their number.
  Output Run(const int32_t* z, int64_t height, int64_t width) const;

  // The converted layers, input to output.
  const std::vector<IntegerConvLayer>& layers() const { return layers_; }
  // Whether Run computes layer i's sums in the Winograd form.
  bool UsesWinograd(size_t layer) const {
    return WinogradForms()[layer].has_value();
  }

 private:
  // The layers' Winograd forms (IntegerWinograd::Make), made on first use:
  // a server loads many models and decodes with few, and each form takes
  // 16/9 of its layer's weights. Shared by copies.
  struct LazyWinograd {
    absl::once_flag once;
    std::vector<std::optional<IntegerWinograd>> forms;
  };

  IntegerHyperSynthesis(std::vector<IntegerConvLayer> layers,
                        IntegerConvMethod method)
      : layers_(std::move(layers)), method_(method) {}

  const std::vector<std::optional<IntegerWinograd>>& WinogradForms() const;

  std::vector<IntegerConvLayer> layers_;
  IntegerConvMethod method_;
  std::shared_ptr<LazyWinograd> winograd_ = std::make_shared<LazyWinograd>();
};

}  // namespace vlmc::codec

#endif  // VLMC_MODELS_CODEC_INTEGER_HYPER_SYNTHESIS_H_
