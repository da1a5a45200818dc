#include "models/codec/integer_hyper_synthesis.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"

// Integer arithmetic gives the same result with any instruction set, so the
// convolution is also compiled for AVX2 (picked at load time where the CPU has
// it) to vectorise the int32 x int32 -> int64 products.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define VLMC_MULTIVERSION __attribute__((target_clones("avx2", "default")))
#else
#define VLMC_MULTIVERSION
#endif

namespace vlmc::codec {
namespace {

using Self = IntegerHyperSynthesis;

constexpr int64_t kKernel = 3;
// Every sum stays below this, which leaves room for the rounding offsets.
constexpr int64_t kSumLimit = int64_t{1} << 62;
constexpr int64_t kLeakyDivisor = 100;  // LeakyReLU slope 0.01 = 1/100

// floor(n / d) for d > 0 (C++ division truncates towards zero).
int64_t FloorDiv(int64_t n, int64_t d) {
  const int64_t q = n / d;
  return n % d < 0 ? q - 1 : q;
}

// Rounds acc / 2^shift half up (towards +infinity), for negative sums of an
// upsampling layer acc / (100 * 2^shift) (LeakyReLU), then saturates.
int32_t Requantise(int64_t acc, int shift, bool leaky) {
  const int64_t unit = int64_t{1} << shift;
  const int64_t v = leaky && acc < 0 ? FloorDiv(acc + kLeakyDivisor * unit / 2,
                                                kLeakyDivisor * unit)
                                     : FloorDiv(acc + unit / 2, unit);
  return static_cast<int32_t>(
      std::clamp<int64_t>(v, -Self::kActivationLimit, Self::kActivationLimit));
}

// sums[k] += dot(w + k * w_stride, x) for k < kBlock: the output channels of
// a block share every input load.
template <int kBlock>
inline void AddDots(const int32_t* w, int64_t w_stride, const int32_t* x,
                    int64_t n, int64_t* sums) {
  int64_t s[kBlock] = {};
  for (int64_t i = 0; i < n; ++i) {
    const int64_t v = x[i];
    for (int k = 0; k < kBlock; ++k) s[k] += w[k * w_stride + i] * v;
  }
  for (int k = 0; k < kBlock; ++k) sums[k] += s[k];
}

// Output channels [o, o + kBlock) of row y (see ConvRow).
template <int kBlock>
inline void ConvChannels(const IntegerConvLayer& layer, const int32_t* input,
                         int64_t width, int64_t y, int64_t o, int32_t* row) {
  const int64_t in = layer.in_channels, out = layer.out_channels;
  // The three taps of a kernel row are adjacent in the input and the weights.
  const int64_t span = kKernel * in, stride = (width + 2) * in;
  const int shift =
      layer.weight_shift + layer.input_fraction_bits - Self::kFractionBits;
  const int32_t* w = layer.weights.data() + o * kKernel * span;
  for (int64_t x = 0; x < width; ++x) {
    const int32_t* window = input + y * stride + x * in;
    int64_t acc[kBlock];
    for (int k = 0; k < kBlock; ++k) acc[k] = layer.biases[o + k];
    for (int64_t ky = 0; ky < kKernel; ++ky) {
      AddDots<kBlock>(w + ky * span, kKernel * span, window + ky * stride, span,
                      acc);
    }
    for (int k = 0; k < kBlock; ++k)
      row[x * out + o + k] = Requantise(acc[k], shift, layer.upsample);
  }
}

// Output row y of `layer` for a zero-bordered [height+2][width+2][in] input:
// row[x * out + o] for x < width.
VLMC_MULTIVERSION
void ConvRow(const IntegerConvLayer& layer, const int32_t* input, int64_t width,
             int64_t y, int32_t* row) {
  int64_t o = 0;
  for (; o + 4 <= layer.out_channels; o += 4)
    ConvChannels<4>(layer, input, width, y, o, row);
  for (; o < layer.out_channels; ++o)
    ConvChannels<1>(layer, input, width, y, o, row);
}

absl::StatusOr<IntegerConvLayer> MakeLayer(const torch::Tensor& weight,
                                           const torch::Tensor& bias,
                                           int input_fraction_bits,
                                           int64_t input_limit, bool upsample,
                                           const std::string& name) {
  auto error = [&name](const auto&... parts) {
    return absl::InvalidArgumentError(
        absl::StrCat("integer hyper-synthesis: ", name, ": ", parts...));
  };
  if (weight.dim() != 4 || weight.size(2) != kKernel ||
      weight.size(3) != kKernel || bias.dim() != 1 ||
      bias.size(0) != weight.size(0) || (upsample && weight.size(0) % 4)) {
    return error("unexpected shape");
  }
  const torch::Tensor w = weight.detach().to(torch::kFloat64).contiguous();
  const torch::Tensor b = bias.detach().to(torch::kFloat64).contiguous();
  if (!torch::isfinite(w).all().item<bool>() ||
      !torch::isfinite(b).all().item<bool>()) {
    return error("non-finite parameters");
  }
  IntegerConvLayer layer;
  layer.out_channels = w.size(0);
  layer.in_channels = w.size(1);
  layer.input_fraction_bits = input_fraction_bits;
  layer.upsample = upsample;
  // The largest shift <= 24 that keeps |W| within 2^25: every float16 weight
  // below 2 is then exact (its last bit is worth at least 2^-24).
  const double max_abs = w.abs().max().item<double>();
  const int min_shift = Self::kFractionBits + 1 - input_fraction_bits;
  int shift = Self::kMaxWeightShift;
  while (shift >= min_shift &&
         std::ldexp(max_abs, shift) >= std::ldexp(1.0, Self::kWeightBits)) {
    --shift;
  }
  if (shift < min_shift) return error("weights too large (", max_abs, ")");
  layer.weight_shift = shift;

  // Both roundings are of exact products (scaling by a power of two), half
  // away from zero (std::round); float16 weights and biases need none.
  auto wa = w.accessor<double, 4>();
  auto ba = b.accessor<double, 1>();
  const int bias_shift = shift + input_fraction_bits;
  for (int64_t o = 0; o < layer.out_channels; ++o) {
    const double bias_value = std::round(std::ldexp(ba[o], bias_shift));
    if (std::abs(bias_value) >= std::ldexp(1.0, 61))
      return error("bias too large (", ba[o], ")");
    const int64_t bias_int = static_cast<int64_t>(bias_value);
    int64_t l1 = 0;
    for (int64_t ky = 0; ky < kKernel; ++ky) {
      for (int64_t kx = 0; kx < kKernel; ++kx) {
        for (int64_t i = 0; i < layer.in_channels; ++i) {
          const int32_t v = static_cast<int32_t>(
              std::round(std::ldexp(wa[o][i][ky][kx], shift)));
          layer.weights.push_back(v);
          l1 += std::abs(int64_t{v});
        }
      }
    }
    // |sum| <= |B| + sum |W| * input_limit for every input and every order
    // of summation.
    if (l1 > (kSumLimit - std::abs(bias_int)) / input_limit)
      return error("output channel ", o, " could overflow int64");
    layer.biases.push_back(bias_int);
  }
  return layer;
}

}  // namespace

absl::StatusOr<IntegerHyperSynthesis> IntegerHyperSynthesis::FromNetwork(
    HyperpriorNetwork& network) {
  const auto params = network->named_parameters();
  // The h_s Sequential of HyperpriorNetworkImpl: modules 0 and 2 are
  // SubpixelUp (conv inside), 1 and 3 LeakyReLU, 4 the output conv.
  const std::pair<const char*, bool> kLayers[] = {
      {"h_s.0.conv", true}, {"h_s.2.conv", true}, {"h_s.4", false}};
  std::vector<IntegerConvLayer> layers;
  int input_bits = 0;  // z is an integer
  int64_t input_limit = kMaxInput;
  for (const auto& [prefix, upsample] : kLayers) {
    const std::string weight_name = absl::StrCat(prefix, ".weight");
    const std::string bias_name = absl::StrCat(prefix, ".bias");
    const torch::Tensor* weight = params.find(weight_name);
    const torch::Tensor* bias = params.find(bias_name);
    if (weight == nullptr || bias == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("integer hyper-synthesis: ", prefix, " is missing"));
    }
    absl::StatusOr<IntegerConvLayer> layer =
        MakeLayer(*weight, *bias, input_bits, input_limit, upsample, prefix);
    if (!layer.ok()) return layer.status();
    const int64_t expected_in =
        layers.empty() ? layer->in_channels : layers.back().out_channels / 4;
    if (layer->in_channels != expected_in ||
        (!upsample && layer->out_channels % 2)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "integer hyper-synthesis: ", prefix, " has unexpected channels"));
    }
    layers.push_back(*std::move(layer));
    input_bits = kFractionBits;
    input_limit = kActivationLimit;
  }
  return IntegerHyperSynthesis(std::move(layers));
}

IntegerHyperSynthesis::Output IntegerHyperSynthesis::Run(const int32_t* z,
                                                         int64_t height,
                                                         int64_t width) const {
  int64_t h = height, w = width, channels = layers_[0].in_channels;
  // Activations are kept [h+2][w+2][channels] with a zero border, which is
  // the convolutions' "same" padding.
  std::vector<int32_t> act((h + 2) * (w + 2) * channels, 0);
  for (int64_t c = 0; c < channels; ++c) {
    for (int64_t y = 0; y < h; ++y) {
      for (int64_t x = 0; x < w; ++x) {
        act[((y + 1) * (w + 2) + x + 1) * channels + c] =
            std::clamp(z[(c * h + y) * w + x], -kMaxInput, kMaxInput);
      }
    }
  }
  Output result;
  for (const IntegerConvLayer& layer : layers_) {
    const int64_t out = layer.out_channels;
    std::vector<int32_t> next;
    if (layer.upsample) {
      next.assign((2 * h + 2) * (2 * w + 2) * (out / 4), 0);
    } else {
      result.channels = out / 2;
      result.height = h;
      result.width = w;
      result.means.resize(result.channels * h * w);
      result.scales.resize(result.channels * h * w);
    }
    // Each output is computed by one thread in a fixed order, and integer
    // sums do not depend on the order anyway.
    at::parallel_for(0, h, 1, [&](int64_t begin, int64_t end) {
      std::vector<int32_t> row(w * out);
      for (int64_t y = begin; y < end; ++y) {
        ConvRow(layer, act.data(), w, y, row.data());
        for (int64_t x = 0; x < w; ++x) {
          for (int64_t o = 0; o < out; ++o) {
            const int32_t v = row[x * out + o];
            if (layer.upsample) {
              // PixelShuffle(2): channel 4c + 2i + j -> (c, 2y + i, 2x + j).
              const int64_t yy = 2 * y + ((o >> 1) & 1) + 1;
              const int64_t xx = 2 * x + (o & 1) + 1;
              next[(yy * (2 * w + 2) + xx) * (out / 4) + (o >> 2)] = v;
            } else if (o < result.channels) {
              result.means[(o * h + y) * w + x] = v;
            } else {
              result.scales[((o - result.channels) * h + y) * w + x] = v;
            }
          }
        }
      }
    });
    if (layer.upsample) {
      act = std::move(next);
      h *= 2;
      w *= 2;
    }
  }
  return result;
}

}  // namespace vlmc::codec
