#ifndef VLMC_MODELS_SEMANTIC_TFJS_MODEL_H_
#define VLMC_MODELS_SEMANTIC_TFJS_MODEL_H_

#include <torch/torch.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace vlmc::semantic {

// One node of a TensorFlow.js graph model (a TF GraphDef node in JSON form).
struct TfjsNode {
  std::string name;
  std::string op;
  // Producer references, "node" or "node:k" for output k; control inputs
  // ("^node") are dropped because the interpreter runs in dependency order.
  std::vector<std::string> inputs;
  // The node's `attr` object as written by the converter (AttrValue JSON:
  // {"s": base64}, {"i": "3"}, {"f": 0.1}, {"b": true}, {"type": "DT_FLOAT"},
  // {"list": {...}}).
  nlohmann::json attr;
};

// A parsed tfjs graph model ("format": "graph-model").
struct TfjsModel {
  std::vector<TfjsNode> nodes;
  // Every entry of the weights manifest, dequantised to its declared dtype
  // (float32 -> kFloat, int32 -> kInt, bool -> kBool), on the CPU.
  std::map<std::string, torch::Tensor> weights;
  // Names from the signature (may be empty for models without one).
  std::vector<std::string> signature_inputs;
  std::vector<std::string> signature_outputs;
};

// Reads a weight shard by the path the manifest gives (relative to the
// model.json directory for LoadTfjsModel).
using ShardReader =
    std::function<absl::StatusOr<std::string>(const std::string& path)>;

// Parses model.json text and decodes the weight shards through `read_shard`.
// INVALID_ARGUMENT for malformed JSON, a missing topology or manifest, an
// unknown dtype or quantization, or shards whose size does not match the
// manifest (truncated or trailing bytes); messages name the offending field.
absl::StatusOr<TfjsModel> ParseTfjsModel(absl::string_view json_text,
                                         const ShardReader& read_shard);

// Reads `json_path` and its shards (paths relative to its directory).
absl::StatusOr<TfjsModel> LoadTfjsModel(const std::string& json_path);

}  // namespace vlmc::semantic

#endif  // VLMC_MODELS_SEMANTIC_TFJS_MODEL_H_
