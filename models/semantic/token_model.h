#ifndef VLMC_MODELS_SEMANTIC_TOKEN_MODEL_H_
#define VLMC_MODELS_SEMANTIC_TOKEN_MODEL_H_

#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "models/semantic/graph_interpreter.h"

namespace vlmc::semantic {

// Semantic tokens: internal feature maps of the frozen CenterNet
// (MobileNetV3) backbone, each flattened to a token matrix. The feature maps
// are the ones CenterNet's head reads at each scale:
//   stride 8:  tower_0/MobilenetV3/expanded_conv_5/add — the last stride-8
//              block of the backbone (32 channels; the head's c3_reverse);
//   stride 16: tower_0/MobilenetV3/expanded_conv_11/add — the last stride-16
//              block (88 channels; c4_reverse);
//   stride 32: tower_0/extern1/hard_swish/mul_1 — the backbone's final
//              feature map (480 channels), which the head upsamples (c5).
struct TokenModelOptions {
  // The maps to read, distinct, each 8, 16 or 32; one backbone pass
  // computes all of them.
  std::vector<int> strides = {16};
  std::string model_dir;  // Empty: DefaultSemanticModelDir().
  // Images are resized (stretched, bilinear) to input_size x input_size
  // before the backbone: CenterNet's 512, so a 512x512 image gives
  // (512 / stride)^2 tokens per map.
  int input_size = 512;
  torch::Device device = torch::kCPU;
};

// OK for a non-empty list of distinct strides, each 8, 16 or 32
// (TokenModelOptions::strides); else INVALID_ARGUMENT naming the entry.
absl::Status ValidateTokenStrides(const std::vector<int>& strides);

class TokenModel {
 public:
  // NOT_FOUND (with a hint to run scripts/fetch-models.sh) when the model
  // files are missing; INVALID_ARGUMENT for an empty or repeated stride list,
  // a stride other than 8, 16 or 32, or an input size that is not a positive
  // multiple of 32.
  static absl::StatusOr<std::unique_ptr<TokenModel>> Load(
      const TokenModelOptions& options = {});

  // images: [B, 3, H, W] float RGB in [0, 1] (the codec's output convention),
  // any H, W. Returns one [B, n_tokens, C] tensor per stride, in strides()
  // order, with n_tokens = (input_size / stride)^2 in row-major (y, x) order.
  // Differentiable w.r.t. `images` (the weights never require grad); the
  // caller decides whether autograd records it.
  absl::StatusOr<std::vector<torch::Tensor>> TokenMaps(
      const torch::Tensor& images) const;

  // The tokens of a model loaded with one stride (FAILED_PRECONDITION for
  // several): TokenMaps(images)[0].
  absl::StatusOr<torch::Tensor> Tokens(const torch::Tensor& images) const;

  const std::vector<std::string>& node_names() const { return nodes_; }
  const std::vector<int>& strides() const { return strides_; }

 private:
  TokenModel(GraphInterpreter graph, std::vector<std::string> nodes,
             std::vector<int> strides, int input_size)
      : graph_(std::move(graph)),
        nodes_(std::move(nodes)),
        strides_(std::move(strides)),
        input_size_(input_size) {}

  GraphInterpreter graph_;
  std::vector<std::string> nodes_;
  std::vector<int> strides_;
  int input_size_;
};

}  // namespace vlmc::semantic

#endif  // VLMC_MODELS_SEMANTIC_TOKEN_MODEL_H_
