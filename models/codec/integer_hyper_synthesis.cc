#include "models/codec/integer_hyper_synthesis.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"
#include "models/codec/integer_dot.h"

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

// Bias + sum of output channels [o, o + kBlock) of row y (see DirectRow).
template <int kBlock>
inline void DirectChannels(const IntegerConvLayer& layer, const int32_t* input,
                           int64_t row_stride, int64_t width, int64_t y,
                           int64_t o, int64_t* row) {
  const int64_t in = layer.in_channels, out = layer.out_channels;
  // The three taps of a kernel row are adjacent in the input and the weights.
  const int64_t span = kKernel * in;
  const int32_t* w = layer.weights.data() + o * kKernel * span;
  for (int64_t x = 0; x < width; ++x) {
    const int32_t* window = input + y * row_stride + x * in;
    int64_t* acc = row + x * out + o;
    for (int k = 0; k < kBlock; ++k) acc[k] = layer.biases[o + k];
    for (int64_t ky = 0; ky < kKernel; ++ky) {
      AddIntegerDots<kBlock>(w + ky * span, kKernel * span,
                             window + ky * row_stride, span, acc);
    }
  }
}

// Bias + sum of output row y of `layer` for a zero-bordered channels-last
// input of `row_stride` values per row: row[x * out + o] for x < width.
VLMC_INTEGER_MULTIVERSION
void DirectRow(const IntegerConvLayer& layer, const int32_t* input,
               int64_t row_stride, int64_t width, int64_t y, int64_t* row) {
  int64_t o = 0;
  for (; o + 4 <= layer.out_channels; o += 4)
    DirectChannels<4>(layer, input, row_stride, width, y, o, row);
  for (; o < layer.out_channels; ++o)
    DirectChannels<1>(layer, input, row_stride, width, y, o, row);
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
  layer.input_limit = input_limit;
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

// Rows [2 * tile_row, 2 * tile_row + 2) of `layer` (bias + sum, as
// DirectRow), each 2 * tiles wide, from its Winograd form.
void WinogradRows(const IntegerConvLayer& layer,
                  const IntegerWinograd& winograd, const int32_t* input,
                  int64_t row_stride, int64_t tiles, int64_t tile_row,
                  int64_t* rows) {
  winograd.TileRow(input, row_stride, tiles, tile_row, rows);
  const int64_t out = layer.out_channels;
  for (int64_t i = 0; i < 2 * 2 * tiles; ++i) {
    for (int64_t o = 0; o < out; ++o) rows[i * out + o] += layer.biases[o];
  }
}

}  // namespace

absl::StatusOr<IntegerHyperSynthesis> IntegerHyperSynthesis::FromNetwork(
    HyperpriorNetwork& network, IntegerConvMethod method) {
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
  return IntegerHyperSynthesis(std::move(layers), method);
}

const std::vector<std::optional<IntegerWinograd>>&
IntegerHyperSynthesis::WinogradForms() const {
  absl::call_once(winograd_->once, [this] {
    for (const IntegerConvLayer& layer : layers_) {
      winograd_->forms.push_back(
          method_ == IntegerConvMethod::kWinograd
              ? IntegerWinograd::Make(layer.weights, layer.in_channels,
                                      layer.out_channels, layer.input_limit,
                                      kSumLimit)
              : std::nullopt);
    }
  });
  return winograd_->forms;
}

IntegerHyperSynthesis::Output IntegerHyperSynthesis::Run(const int32_t* z,
                                                         int64_t height,
                                                         int64_t width) const {
  int64_t h = height, w = width, channels = layers_[0].in_channels;
  // Activations are kept channels-last with a zero border, which is the
  // convolutions' "same" padding, and rounded up to an even size for the
  // 2x2 output blocks of the Winograd form.
  auto padded = [](int64_t extent) { return (extent + 1) / 2 * 2 + 2; };
  std::vector<int32_t> act(padded(h) * padded(w) * channels, 0);
  for (int64_t c = 0; c < channels; ++c) {
    for (int64_t y = 0; y < h; ++y) {
      for (int64_t x = 0; x < w; ++x) {
        act[((y + 1) * padded(w) + x + 1) * channels + c] =
            std::clamp(z[(c * h + y) * w + x], -kMaxInput, kMaxInput);
      }
    }
  }
  Output result;
  const std::vector<std::optional<IntegerWinograd>>& winograd = WinogradForms();
  for (size_t i = 0; i < layers_.size(); ++i) {
    const IntegerConvLayer& layer = layers_[i];
    const int64_t out = layer.out_channels;
    const int shift =
        layer.weight_shift + layer.input_fraction_bits - kFractionBits;
    const int64_t row_stride = padded(w) * layer.in_channels;
    const int64_t next_width = padded(2 * w);
    std::vector<int32_t> next;
    if (layer.upsample) {
      next.assign(padded(2 * h) * next_width * (out / 4), 0);
    } else {
      result.channels = out / 2;
      result.height = h;
      result.width = w;
      result.means.resize(result.channels * h * w);
      result.scales.resize(result.channels * h * w);
    }
    // Requantises output row y (bias + sums, x < w) into its destination.
    auto emit = [&](int64_t y, const int64_t* row) {
      for (int64_t x = 0; x < w; ++x) {
        for (int64_t o = 0; o < out; ++o) {
          const int32_t v = Requantise(row[x * out + o], shift, layer.upsample);
          if (layer.upsample) {
            // PixelShuffle(2): channel 4c + 2i + j -> (c, 2y + i, 2x + j).
            const int64_t yy = 2 * y + ((o >> 1) & 1) + 1;
            const int64_t xx = 2 * x + (o & 1) + 1;
            next[(yy * next_width + xx) * (out / 4) + (o >> 2)] = v;
          } else if (o < result.channels) {
            result.means[(o * h + y) * w + x] = v;
          } else {
            result.scales[((o - result.channels) * h + y) * w + x] = v;
          }
        }
      }
    };
    // Each output is computed by one thread, and integer sums do not depend
    // on the order anyway.
    if (winograd[i].has_value()) {
      const int64_t tiles = (w + 1) / 2, row_width = 2 * tiles;
      at::parallel_for(0, (h + 1) / 2, 1, [&](int64_t begin, int64_t end) {
        std::vector<int64_t> rows(2 * row_width * out);
        for (int64_t t = begin; t < end; ++t) {
          WinogradRows(layer, *winograd[i], act.data(), row_stride, tiles, t,
                       rows.data());
          emit(2 * t, rows.data());
          if (2 * t + 1 < h) emit(2 * t + 1, rows.data() + row_width * out);
        }
      });
    } else {
      at::parallel_for(0, h, 1, [&](int64_t begin, int64_t end) {
        std::vector<int64_t> row(w * out);
        for (int64_t y = begin; y < end; ++y) {
          DirectRow(layer, act.data(), row_stride, w, y, row.data());
          emit(y, row.data());
        }
      });
    }
    if (layer.upsample) {
      act = std::move(next);
      h *= 2;
      w *= 2;
    }
  }
  return result;
}

}  // namespace vlmc::codec
