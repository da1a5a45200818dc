#include "models/codec/tensor_hyper_synthesis.h"

#include <algorithm>
#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace vlmc::codec {
namespace {

using Integer = IntegerHyperSynthesis;

constexpr int kLimbBits = 14;
constexpr int64_t kLimbMask = (int64_t{1} << kLimbBits) - 1;
// Largest |limb|: lo < 2^14, |hi| <= 2^27 / 2^14.
constexpr int64_t kMaxLimb = int64_t{1} << kLimbBits;
// Integers up to this magnitude are exact in float64.
constexpr int64_t kExactLimit = int64_t{1} << 53;
// Bounds each im2col buffer (float64, both limbs) to 128 MiB: larger
// images are convolved in bands of rows.
constexpr int64_t kMaxColumnElements = int64_t{1} << 24;
constexpr int64_t kLeakyDivisor = 100;  // LeakyReLU slope 0.01 = 1/100

}  // namespace

absl::StatusOr<TensorHyperSynthesis> TensorHyperSynthesis::Create(
    const std::vector<IntegerConvLayer>& sources, torch::Device device) {
  std::vector<Layer> layers;
  for (const IntegerConvLayer& source : sources) {
    const int64_t out = source.out_channels, in = source.in_channels;
    const int64_t taps = 9 * in;
    for (int64_t o = 0; o < out; ++o) {
      int64_t l1 = 0;
      for (int64_t i = 0; i < taps; ++i)
        l1 += std::abs(int64_t{source.weights[o * taps + i]});
      // Bounds every product and partial sum of one limb's convolution.
      if (l1 > kExactLimit / kMaxLimb) {
        return absl::InvalidArgumentError(absl::StrCat(
            "tensor hyper-synthesis: output channel ", o, " of a ", in,
            "-channel layer could exceed float64's exact integers"));
      }
    }
    Layer layer;
    // The reference stores [out][ky][kx][in]; im2col orders [in][ky][kx].
    layer.weights =
        torch::from_blob(const_cast<int32_t*>(source.weights.data()),
                         {out, 3, 3, in}, torch::kInt32)
            .permute({0, 3, 1, 2})
            .reshape({out, taps})
            .to(torch::kFloat64)
            .contiguous()
            .to(device);
    layer.biases = torch::from_blob(const_cast<int64_t*>(source.biases.data()),
                                    {out, 1}, torch::kInt64)
                       .clone()
                       .to(device);
    layer.requantise_shift = source.weight_shift + source.input_fraction_bits -
                             Integer::kFractionBits;
    layer.upsample = source.upsample;
    layers.push_back(std::move(layer));
  }
  return TensorHyperSynthesis(std::move(layers));
}

torch::Tensor TensorHyperSynthesis::Convolve(
    const Layer& layer, const torch::Tensor& padded) const {
  const int64_t in = padded.size(0), height = padded.size(1) - 2,
                width = padded.size(2) - 2;
  const torch::Tensor low = padded.bitwise_and(kLimbMask);
  // padded - low is a multiple of 2^14, so the division is exact.
  const torch::Tensor high = torch::div(padded - low, kMaxLimb, "trunc");
  const torch::Tensor limbs = torch::stack({high, low}).to(torch::kFloat64);

  const int64_t unit = int64_t{1} << layer.requantise_shift;
  const int64_t band =
      std::max<int64_t>(1, kMaxColumnElements / (2 * 9 * in * width));
  std::vector<torch::Tensor> bands;
  for (int64_t top = 0; top < height; top += band) {
    const int64_t rows = std::min(band, height - top);
    const torch::Tensor columns = torch::im2col(
        limbs.slice(2, top, top + rows + 2), {3, 3}, {1, 1}, {0, 0}, {1, 1});
    const torch::Tensor sums = torch::matmul(layer.weights, columns);
    const torch::Tensor acc = sums[0].to(torch::kInt64).mul(kMaxLimb) +
                              sums[1].to(torch::kInt64) + layer.biases;
    torch::Tensor v = torch::div(acc + unit / 2, unit, "floor");
    if (layer.upsample) {
      v = torch::where(acc < 0,
                       torch::div(acc + kLeakyDivisor / 2 * unit,
                                  kLeakyDivisor * unit, "floor"),
                       v);
    }
    bands.push_back(
        v.clamp(-Integer::kActivationLimit, Integer::kActivationLimit)
            .view({-1, rows, width}));
  }
  return torch::cat(bands, 1);
}

TensorHyperSynthesis::Output TensorHyperSynthesis::Run(
    const torch::Tensor& z) const {
  torch::InferenceMode inference;
  const torch::Device device = layers_.front().weights.device();
  torch::Tensor x = z.to(device, torch::kInt64)
                        .clamp(-Integer::kMaxInput, Integer::kMaxInput);
  for (const Layer& layer : layers_) {
    const torch::Tensor a =
        Convolve(layer, torch::constant_pad_nd(x, {1, 1, 1, 1}, 0));
    x = layer.upsample ? torch::pixel_shuffle(a.unsqueeze(0), 2).squeeze(0) : a;
  }
  const int64_t m = x.size(0) / 2;
  return {x.slice(0, 0, m).to(torch::kInt32).contiguous(),
          x.slice(0, m).to(torch::kInt32).contiguous()};
}

}  // namespace vlmc::codec
