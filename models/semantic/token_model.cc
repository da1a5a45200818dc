#include "models/semantic/token_model.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "models/semantic/detector.h"
#include "models/semantic/preprocess.h"

namespace vlmc::semantic {

namespace {

// The feature map read at each stride (see TokenModelOptions); empty for a
// stride the backbone has no map for.
std::string NodeForStride(int stride) {
  switch (stride) {
    case 8:
      return "tower_0/MobilenetV3/expanded_conv_5/add";
    case 16:
      return "tower_0/MobilenetV3/expanded_conv_11/add";
    case 32:
      return "tower_0/extern1/hard_swish/mul_1";
    default:
      return "";
  }
}

}  // namespace

absl::Status ValidateTokenStrides(const std::vector<int>& strides) {
  if (strides.empty()) {
    return absl::InvalidArgumentError("no token stride given");
  }
  for (size_t i = 0; i < strides.size(); ++i) {
    if (NodeForStride(strides[i]).empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("token stride '", strides[i], "' is not 8, 16 or 32"));
    }
    for (size_t j = 0; j < i; ++j) {
      if (strides[j] == strides[i]) {
        return absl::InvalidArgumentError(
            absl::StrCat("token stride ", strides[i], " is listed twice"));
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<TokenModel>> TokenModel::Load(
    const TokenModelOptions& options) {
  if (absl::Status valid = ValidateTokenStrides(options.strides); !valid.ok())
    return valid;
  std::vector<std::string> nodes;
  for (int stride : options.strides) nodes.push_back(NodeForStride(stride));
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
  for (const std::string& node : nodes) {
    if (!graph->HasNode(node)) {
      return absl::InvalidArgumentError(
          absl::StrCat(dir, "/centernet.json has no node '", node, "'"));
    }
  }
  return std::unique_ptr<TokenModel>(
      new TokenModel(std::move(*graph), std::move(nodes), options.strides,
                     options.input_size));
}

absl::StatusOr<std::vector<torch::Tensor>> TokenModel::TokenMaps(
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
      graph_.Run({{"tower_0/images", x.permute({0, 2, 3, 1})}}, nodes_);
  if (!out.ok()) return out.status();
  std::vector<torch::Tensor> maps;
  maps.reserve(out->size());
  for (const torch::Tensor& fmap : *out) {  // [B, h, w, C]
    maps.push_back(fmap.reshape(
        {fmap.size(0), fmap.size(1) * fmap.size(2), fmap.size(3)}));
  }
  return maps;
}

absl::StatusOr<torch::Tensor> TokenModel::Tokens(
    const torch::Tensor& images) const {
  if (strides_.size() != 1) {
    return absl::FailedPreconditionError(
        absl::StrCat("tokens: the model reads ", strides_.size(),
                     " feature maps; use TokenMaps"));
  }
  absl::StatusOr<std::vector<torch::Tensor>> maps = TokenMaps(images);
  if (!maps.ok()) return maps.status();
  return std::move(maps->front());
}

}  // namespace vlmc::semantic
