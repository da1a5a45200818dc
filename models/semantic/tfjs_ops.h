#ifndef VLMC_MODELS_SEMANTIC_TFJS_OPS_H_
#define VLMC_MODELS_SEMANTIC_TFJS_OPS_H_

#include <torch/torch.h>

#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/semantic/tfjs_model.h"

namespace vlmc::semantic::ops {

// Thrown by an op for an unsupported attribute value or malformed inputs;
// GraphInterpreter::Run turns it into a Status naming the node.
class OpError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Computes a node's outputs from its evaluated inputs (in the node's input
// order), with TensorFlow semantics.
using OpFn = std::function<std::vector<torch::Tensor>(
    const TfjsNode& node, const std::vector<torch::Tensor>& inputs)>;

// Every op the interpreter runs except Const and Placeholder.
const std::map<std::string, OpFn>& OpTable();

}  // namespace vlmc::semantic::ops

#endif  // VLMC_MODELS_SEMANTIC_TFJS_OPS_H_
