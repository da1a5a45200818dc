#include "models/semantic/token_model.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "models/semantic/detector.h"
#include "models/semantic/preprocess.h"

namespace vlmc::semantic {

absl::StatusOr<std::unique_ptr<TokenModel>> TokenModel::Load(
    const TokenModelOptions& options) {
  std::string node;
  if (options.stride == 16) {
    node = "tower_0/MobilenetV3/expanded_conv_11/add";
  } else if (options.stride == 32) {
    node = "tower_0/extern1/hard_swish/mul_1";
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("token stride must be 16 or 32, got ", options.stride));
  }
  if (options.input_size <= 0 || options.input_size % 32 != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("token input size must be a positive multiple of 32, got ",
                     options.input_size));
  }
  const std::string dir =
      options.model_dir.empty() ? DefaultSemanticModelDir() : options.model_dir;
  absl::StatusOr<GraphInterpreter> graph =
      LoadGraphFromDir(dir, "centernet", options.device);
  if (!graph.ok()) return graph.status();
  if (!graph->HasNode(node)) {
    return absl::InvalidArgumentError(
        absl::StrCat(dir, "/centernet.json has no node '", node, "'"));
  }
  return std::unique_ptr<TokenModel>(new TokenModel(
      std::move(*graph), std::move(node), options.stride, options.input_size));
}

absl::StatusOr<torch::Tensor> TokenModel::Tokens(
    const torch::Tensor& images) const {
  if (images.dim() != 4 || images.size(1) != 3 || !images.is_floating_point()) {
    return absl::InvalidArgumentError(
        "tokens: expected a float [B, 3, H, W] batch");
  }
  // CenterNet takes RGB in [0, 255] (its /255 is folded into the first
  // convolution), NHWC.
  torch::Tensor x = images.to(graph_.device(), torch::kFloat) * 255.0f;
  x = ResizeToInput(x, input_size_, input_size_, /*keep_ratio=*/false, 0.0f,
                    nullptr);
  absl::StatusOr<std::vector<torch::Tensor>> out =
      graph_.Run({{"tower_0/images", x.permute({0, 2, 3, 1})}}, {node_});
  if (!out.ok()) return out.status();
  const torch::Tensor& fmap = (*out)[0];  // [B, h, w, C]
  return fmap.reshape(
      {fmap.size(0), fmap.size(1) * fmap.size(2), fmap.size(3)});
}

}  // namespace vlmc::semantic
