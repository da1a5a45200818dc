#ifndef VLMC_MODELS_CODEC_BLS2017_IMPORT_H_
#define VLMC_MODELS_CODEC_BLS2017_IMPORT_H_

#include <torch/torch.h>

#include <string>

#include "absl/status/statusor.h"
#include "models/codec/codec_config.h"
#include "models/codec/hyperprior_network.h"

namespace vlmc::codec {

// The rate-distortion trade-off the bls2017 transforms were trained at
// (loss = bpp + 0.125 * MSE on the 0..255 scale, the same lambda as this
// project's bpp + lambda * 255^2 * MSE on [0, 1]).
inline constexpr double kBls2017TrainedLambda = 0.125;
inline constexpr int64_t kBls2017Channels = 128;

// The default config of a model warm-started from the import: family
// bls2017, N = M = 128 and a ladder from about 0.1 to above 1.5 bpp on Kodak.
CodecConfig Bls2017Config();

// Reads the raw files of ../shared/pretrained/bls2017-mse-0.125 in `dir`
// (ana_w.bin, ana_b.bin, syn_w.bin, syn_b.bin: sizes and sha256 checked
// before anything is used) into a new network of `config` (family bls2017,
// N = M = 128): its analysis and synthesis transforms carry the trained
// weights (the synthesis re-expressed exactly as convolution + PixelShuffle),
// the gains start at sqrt(lambda / 0.125) per level, and the hyperprior and
// pre-editor keep their fresh initial values. NOT_FOUND or DATA_LOSS name
// the missing, short or altered file; INVALID_ARGUMENT for a config of
// another shape.
absl::StatusOr<HyperpriorNetwork> ImportBls2017(const std::string& dir,
                                                const CodecConfig& config);

// The 3x3 convolution weight [out * s * s, in, 3, 3] of a SubpixelUp(in, out,
// s) that computes exactly "insert zeros (input sample i at output s * i),
// then correlate with `kernel` (HWIO [K, K, in, out]) with padding
// `padding`". INVALID_ARGUMENT when some tap of the kernel falls outside the
// 3x3 neighbourhood (K > 2s + 1 or a padding far from s).
absl::StatusOr<torch::Tensor> SubpixelKernelFromZeroInsertion(
    const torch::Tensor& kernel, int64_t stride, int64_t padding);

}  // namespace vlmc::codec

#endif  // VLMC_MODELS_CODEC_BLS2017_IMPORT_H_
