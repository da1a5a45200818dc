#include "models/codec/pre_editor.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "models/nn/gain_units.h"
#include "models/nn/layers.h"

namespace vlmc::codec {
namespace {

constexpr int kMinLevels = 2;
constexpr int kMaxLevels = 6;
constexpr int64_t kMaxWidth = 512;

torch::nn::LeakyReLU Activation() {
  return torch::nn::LeakyReLU(
      torch::nn::LeakyReLUOptions().negative_slope(0.2));
}

}  // namespace

absl::Status ValidatePreEditorConfig(const PreEditorConfig& config) {
  const int levels = static_cast<int>(config.widths.size());
  if (levels < kMinLevels || levels > kMaxLevels) {
    return absl::InvalidArgumentError(
        absl::StrCat("pre-editor needs ", kMinLevels, " to ", kMaxLevels,
                     " levels, got ", levels));
  }
  for (int64_t width : config.widths) {
    if (width < 1 || width > kMaxWidth) {
      return absl::InvalidArgumentError(absl::StrCat(
          "pre-editor widths must be in [1, ", kMaxWidth, "], got ", width));
    }
  }
  return absl::OkStatus();
}

std::string FormatPreEditorWidths(const PreEditorConfig& config) {
  return absl::StrJoin(config.widths, ",");
}

absl::StatusOr<PreEditorConfig> ParsePreEditorWidths(absl::string_view text) {
  PreEditorConfig config;
  config.widths.clear();
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    int64_t width = 0;
    if (!absl::SimpleAtoi(part, &width)) {
      return absl::InvalidArgumentError(
          absl::StrCat("pre-editor widths: '", part, "' is not an integer"));
    }
    config.widths.push_back(width);
  }
  absl::Status status = ValidatePreEditorConfig(config);
  if (!status.ok()) return status;
  return config;
}

PreEditorImpl::PreEditorImpl(const PreEditorConfig& config,
                             int64_t quality_levels)
    : levels_(static_cast<int64_t>(config.widths.size())) {
  const absl::Status status = ValidatePreEditorConfig(config);
  TORCH_CHECK(status.ok(), status.ToString());
  TORCH_CHECK(quality_levels >= 2, "pre-editor needs >= 2 quality levels, got ",
              quality_levels);
  const std::vector<int64_t>& w = config.widths;
  for (int64_t i = 0; i < levels_; ++i) {
    torch::nn::Sequential block;
    block->push_back(i == 0 ? nn::Conv(3, w[0], 3, 1)
                            : nn::Conv(w[i - 1], w[i], 3, 2));
    block->push_back(Activation());
    block->push_back(nn::Conv(w[i], w[i], 3, 1));
    block->push_back(Activation());
    down_->push_back(block);
    if (i == 0) continue;
    up_->push_back(
        torch::nn::Sequential(nn::SubpixelUp(w[i], w[i - 1]), Activation()));
  }
  for (int64_t i = 0; i + 1 < levels_; ++i) {
    merge_->push_back(
        torch::nn::Sequential(nn::Conv(2 * w[i], w[i], 3, 1), Activation(),
                              nn::Conv(w[i], w[i], 3, 1), Activation()));
  }
  out_ = nn::Conv(w[0], 3, 3, 1);
  torch::NoGradGuard no_grad;
  out_->weight.zero_();
  out_->bias.zero_();
  register_module("down", down_);
  register_module("up", up_);
  register_module("merge", merge_);
  register_module("out", out_);
  level_strength_ =
      register_parameter("level_strength", torch::ones({quality_levels, 1}));
}

torch::Tensor PreEditorImpl::Residual(const torch::Tensor& x) {
  const int64_t multiple = int64_t{1} << (levels_ - 1);
  TORCH_CHECK(x.dim() == 4 && x.size(1) == 3,
              "pre-editor input must be [B, 3, H, W], got ", x.sizes());
  TORCH_CHECK(x.size(2) % multiple == 0 && x.size(3) % multiple == 0,
              "pre-editor input height and width must be multiples of ",
              multiple, ", got ", x.sizes());
  std::vector<torch::Tensor> skips;
  torch::Tensor h = x;
  for (int64_t i = 0; i < levels_; ++i) {
    h = down_[i]->as<torch::nn::Sequential>()->forward(h);
    skips.push_back(h);
  }
  for (int64_t i = levels_ - 2; i >= 0; --i) {
    torch::Tensor up = up_[i]->as<torch::nn::Sequential>()->forward(h);
    h = merge_[i]->as<torch::nn::Sequential>()->forward(
        torch::cat({up, skips[i]}, 1));
  }
  return out_->forward(h);
}

torch::Tensor PreEditorImpl::Strength(const torch::Tensor& quality) {
  return nn::InterpolateLadder(level_strength_, quality).view({-1, 1, 1, 1});
}

torch::Tensor PreEditorImpl::forward(const torch::Tensor& x,
                                     const torch::Tensor& quality) {
  TORCH_CHECK(quality.dim() == 1 && quality.size(0) == x.size(0),
              "pre-editor quality must be [B] for input ", x.sizes(), ", got ",
              quality.sizes());
  return x + Strength(quality).to(x.scalar_type()) * Residual(x);
}

}  // namespace vlmc::codec
