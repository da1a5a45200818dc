#ifndef VLMC_MODELS_CODEC_PRE_EDITOR_H_
#define VLMC_MODELS_CODEC_PRE_EDITOR_H_

#include <torch/torch.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vlmc::codec {

// Shape of the pre-editing U-Net P that edits an image before the codec's
// analysis transform (x' = x + s(q)·P(x), DESIGN §1; s: PreEditorImpl).
struct PreEditorConfig {
  // Channels per resolution level: level 0 runs at full resolution, level i
  // at 1 / 2^i. The default {16, 32, 64} has 2 down / 2 up steps, 0.2 M
  // parameters, a receptive field of about 50 pixels and ~33 k MACs per pixel
  // (more than the N=64 codec's ~25 k: a training step costs about twice the
  // codec's alone); {8, 16, 32} has 50 k parameters and a quarter of the
  // cost. H and W must be multiples of 2^(levels - 1); the codec's padding to
  // 64 guarantees that.
  std::vector<int64_t> widths = {16, 32, 64};
};

// OK for 2 to 6 levels of 1 to 512 channels; INVALID_ARGUMENT otherwise.
absl::Status ValidatePreEditorConfig(const PreEditorConfig& config);

// "16,32,64" <-> {16, 32, 64}: the form of a model file's metadata and of a
// command-line flag. Parsing validates as ValidatePreEditorConfig does.
std::string FormatPreEditorWidths(const PreEditorConfig& config);
absl::StatusOr<PreEditorConfig> ParsePreEditorWidths(absl::string_view text);

// Residual U-Net: 3x3 convolutions with LeakyReLU, stride-2 convolutions
// down, sub-pixel convolutions up (not ConvTranspose2d, which is several
// times slower on CPU, DESIGN §7), skip connections by concatenation. The
// last convolution starts at zero, so an untrained editor is the identity and
// a codec warm-started from a rate-distortion model starts where it left off.
//
// The edit is scaled by a learned strength per quality level ("level_strength",
// [L, 1], interpolated like the gain units, initially 1): one U-Net serves
// every rate, and the strength lets training edit hard where bits are scarce
// and hardly at all where the codec can afford the detail.
class PreEditorImpl : public torch::nn::Module {
 public:
  // `config` must pass ValidatePreEditorConfig (checked); `quality_levels`
  // (>= 2) is the codec's number of quality levels.
  PreEditorImpl(const PreEditorConfig& config, int64_t quality_levels);

  // x: [B, 3, H, W] RGB in [0, 1], quality: [B] in [0, 1]. Returns
  // x + s(q) P(x), not clamped: the analysis transform accepts any values,
  // and a clamp would stop the gradient at every saturated pixel.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& quality);

  // P(x) alone, the unscaled edit.
  torch::Tensor Residual(const torch::Tensor& x);

  // s(q) for each quality, as [B, 1, 1, 1].
  torch::Tensor Strength(const torch::Tensor& quality);

 private:
  int64_t levels_;
  torch::nn::ModuleList down_;   // level i: (stride-2 conv,) conv
  torch::nn::ModuleList up_;     // level i >= 1: sub-pixel up to level i - 1
  torch::nn::ModuleList merge_;  // level i < levels - 1: after concatenation
  torch::nn::Conv2d out_{nullptr};
  torch::Tensor level_strength_;  // [L, 1]
};
TORCH_MODULE(PreEditor);

}  // namespace vlmc::codec

#endif  // VLMC_MODELS_CODEC_PRE_EDITOR_H_
