#ifndef VLMC_MODELS_SEMANTIC_GRAPH_INTERPRETER_H_
#define VLMC_MODELS_SEMANTIC_GRAPH_INTERPRETER_H_

#include <torch/torch.h>

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "models/semantic/tfjs_model.h"

namespace vlmc::semantic {

// Runs a tfjs graph model in LibTorch with TensorFlow's semantics (NHWC
// layout, TF padding rules, TF resize conventions). Tensors keep TF's logical
// shapes; convolutions see NCHW views of them, so no layout copies are made.
//
// Run() adds no autograd guard: gradients flow from fetched outputs back to
// floating-point feeds when the caller enables them (weights never require
// grad). Run() only reads the interpreter's state, so concurrent calls are
// safe.
class GraphInterpreter {
 public:
  // Checks that every node's op is supported and every input refers to a
  // node of the graph (INVALID_ARGUMENT naming the node and op otherwise),
  // and moves the weights to `device`.
  static absl::StatusOr<GraphInterpreter> Create(TfjsModel model,
                                                 torch::Device device);

  // Computes `fetches` ("node" or "node:k") from `feeds` (Placeholder name ->
  // tensor in TF layout, float32 on any device; moved to the interpreter's
  // device). Only the nodes the fetches depend on are evaluated. An
  // unsupported attribute value or a shape mismatch is an error naming the
  // node and its op.
  absl::StatusOr<std::vector<torch::Tensor>> Run(
      const std::map<std::string, torch::Tensor>& feeds,
      const std::vector<std::string>& fetches) const;

  const TfjsModel& model() const { return model_; }
  torch::Device device() const { return device_; }
  bool HasNode(const std::string& name) const { return index_.count(name) > 0; }

 private:
  GraphInterpreter(TfjsModel model, torch::Device device);

  TfjsModel model_;
  torch::Device device_;
  std::unordered_map<std::string, int> index_;  // Node name -> position.
};

// The ops Create() accepts.
const std::vector<std::string>& SupportedTfjsOps();

// Loads <model_dir>/<name>.json and its weight shards into an interpreter on
// `device`; NOT_FOUND with a hint to run scripts/fetch-models.sh when the
// model file is missing.
absl::StatusOr<GraphInterpreter> LoadGraphFromDir(const std::string& model_dir,
                                                  const std::string& name,
                                                  torch::Device device);

}  // namespace vlmc::semantic

#endif  // VLMC_MODELS_SEMANTIC_GRAPH_INTERPRETER_H_
