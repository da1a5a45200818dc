#ifndef VLMC_MODELS_SEMANTIC_TOKEN_MODEL_H_
#define VLMC_MODELS_SEMANTIC_TOKEN_MODEL_H_

#include <torch/torch.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "models/semantic/graph_interpreter.h"

namespace vlmc::semantic {

// Semantic tokens: an internal feature map of the frozen CenterNet
// (MobileNetV3) backbone, flattened to a token matrix. The feature maps:
//   stride 16: tower_0/MobilenetV3/expanded_conv_11/add — the last stride-16
//              block of the backbone (88 channels), the map CenterNet's head
//              reads at that scale (c4_reverse);
//   stride 32: tower_0/extern1/hard_swish/mul_1 — the backbone's final
//              feature map (480 channels), which the head upsamples (c5).
struct TokenModelOptions {
  int stride = 16;        // 16 or 32.
  std::string model_dir;  // Empty: DefaultSemanticModelDir().
  // Images are resized (stretched, bilinear) to input_size x input_size
  // before the backbone: CenterNet's 512, so a 512x512 image gives
  // (512 / stride)^2 tokens.
  int input_size = 512;
  torch::Device device = torch::kCPU;
};

class TokenModel {
 public:
  // NOT_FOUND (with a hint to run scripts/fetch-models.sh) when the model
  // files are missing; INVALID_ARGUMENT for a stride other than 16 or 32.
  static absl::StatusOr<std::unique_ptr<TokenModel>> Load(
      const TokenModelOptions& options = {});

  // images: [B, 3, H, W] float RGB in [0, 1] (the codec's output convention),
  // any H, W. Returns [B, n_tokens, C] with n_tokens = (input_size / stride)^2
  // in row-major (y, x) order. Differentiable w.r.t. `images` (the weights
  // never require grad); the caller decides whether autograd records it.
  absl::StatusOr<torch::Tensor> Tokens(const torch::Tensor& images) const;

  const std::string& node_name() const { return node_; }
  int stride() const { return stride_; }

 private:
  TokenModel(GraphInterpreter graph, std::string node, int stride,
             int input_size)
      : graph_(std::move(graph)),
        node_(std::move(node)),
        stride_(stride),
        input_size_(input_size) {}

  GraphInterpreter graph_;
  std::string node_;
  int stride_;
  int input_size_;
};

}  // namespace vlmc::semantic

#endif  // VLMC_MODELS_SEMANTIC_TOKEN_MODEL_H_
