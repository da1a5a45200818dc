#include "models/semantic/graph_interpreter.h"

#include <algorithm>
#include <fstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "models/semantic/tfjs_ops.h"

namespace vlmc::semantic {
namespace {

// "node:k" -> ("node", k); "node" -> ("node", 0).
std::pair<std::string, int> SplitRef(const std::string& ref) {
  const size_t colon = ref.rfind(':');
  int k = 0;
  if (colon != std::string::npos &&
      absl::SimpleAtoi(ref.substr(colon + 1), &k)) {
    return {ref.substr(0, colon), k};
  }
  return {ref, 0};
}

}  // namespace

const std::vector<std::string>& SupportedTfjsOps() {
  static const auto* ops = [] {
    auto* v = new std::vector<std::string>{"Const", "Placeholder"};
    for (const auto& [name, fn] : ops::OpTable()) v->push_back(name);
    return v;
  }();
  return *ops;
}

GraphInterpreter::GraphInterpreter(TfjsModel model, torch::Device device)
    : model_(std::move(model)), device_(device) {
  for (size_t i = 0; i < model_.nodes.size(); ++i) {
    index_[model_.nodes[i].name] = static_cast<int>(i);
  }
}

absl::StatusOr<GraphInterpreter> GraphInterpreter::Create(
    TfjsModel model, torch::Device device) {
  const auto& table = ops::OpTable();
  for (const TfjsNode& node : model.nodes) {
    if (node.op == "Const") {
      if (model.weights.count(node.name) == 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("Const node '", node.name,
                         "' has no entry in the weights manifest"));
      }
    } else if (node.op != "Placeholder" && table.count(node.op) == 0) {
      return absl::UnimplementedError(absl::StrCat(
          "unsupported op '", node.op, "' (node '", node.name, "')"));
    }
  }
  for (auto& [name, w] : model.weights) w = w.to(device);
  GraphInterpreter interpreter(std::move(model), device);
  for (const TfjsNode& node : interpreter.model_.nodes) {
    for (const std::string& ref : node.inputs) {
      if (!interpreter.HasNode(SplitRef(ref).first)) {
        return absl::InvalidArgumentError(
            absl::StrCat("node '", node.name, "' (", node.op,
                         ") reads unknown node '", ref, "'"));
      }
    }
  }
  return interpreter;
}

absl::StatusOr<std::vector<torch::Tensor>> GraphInterpreter::Run(
    const std::map<std::string, torch::Tensor>& feeds,
    const std::vector<std::string>& fetches) const {
  // Post-order DFS from the fetches: evaluation order and use counts of the
  // nodes the fetches need.
  std::vector<int> order;
  std::vector<int> uses(model_.nodes.size(), 0);
  std::vector<char> state(model_.nodes.size(), 0);  // 1: open, 2: done.
  for (const std::string& fetch : fetches) {
    const auto it = index_.find(SplitRef(fetch).first);
    if (it == index_.end()) {
      return absl::NotFoundError(absl::StrCat("no node named '", fetch, "'"));
    }
    ++uses[it->second];
    std::vector<std::pair<int, size_t>> stack = {{it->second, 0}};
    while (!stack.empty()) {
      auto& [id, next] = stack.back();
      if (next == 0 && state[id] != 0) {
        if (state[id] == 1) {
          return absl::InvalidArgumentError(absl::StrCat(
              "graph has a cycle through '", model_.nodes[id].name, "'"));
        }
        stack.pop_back();
        continue;
      }
      state[id] = 1;
      const TfjsNode& node = model_.nodes[id];
      if (next < node.inputs.size()) {
        const int child = index_.at(SplitRef(node.inputs[next++]).first);
        if (state[child] == 1) {
          return absl::InvalidArgumentError(
              absl::StrCat("graph has a cycle through '", node.name, "'"));
        }
        if (state[child] == 0) stack.push_back({child, 0});
        continue;
      }
      state[id] = 2;
      order.push_back(id);
      for (const std::string& ref : node.inputs) {
        ++uses[index_.at(SplitRef(ref).first)];
      }
      stack.pop_back();
    }
  }

  std::vector<std::vector<torch::Tensor>> values(model_.nodes.size());
  for (int id : order) {
    const TfjsNode& node = model_.nodes[id];
    if (node.op == "Const") {
      values[id] = {model_.weights.at(node.name)};
      continue;
    }
    if (node.op == "Placeholder") {
      const auto feed = feeds.find(node.name);
      if (feed == feeds.end()) {
        return absl::InvalidArgumentError(
            absl::StrCat("no feed for Placeholder '", node.name, "'"));
      }
      values[id] = {feed->second.to(device_)};
      continue;
    }
    std::vector<torch::Tensor> inputs;
    for (const std::string& ref : node.inputs) {
      const auto [name, k] = SplitRef(ref);
      const int src = index_.at(name);
      if (k < 0 || k >= static_cast<int>(values[src].size())) {
        return absl::InvalidArgumentError(absl::StrCat(
            "node '", node.name, "' (", node.op, ") reads output ", k, " of '",
            name, "', which has ", values[src].size()));
      }
      inputs.push_back(values[src][k]);
    }
    try {
      values[id] = ops::OpTable().at(node.op)(node, inputs);
    } catch (const ops::OpError& e) {
      return absl::InvalidArgumentError(
          absl::StrCat(node.op, " node '", node.name, "': ", e.what()));
    } catch (const c10::Error& e) {
      return absl::InvalidArgumentError(absl::StrCat(
          node.op, " node '", node.name, "': ", e.what_without_backtrace()));
    } catch (const std::exception& e) {
      return absl::InvalidArgumentError(
          absl::StrCat(node.op, " node '", node.name, "': ", e.what()));
    }
    // Release inputs nobody else needs (large activations).
    for (const std::string& ref : node.inputs) {
      const int src = index_.at(SplitRef(ref).first);
      if (--uses[src] == 0) values[src].clear();
    }
  }

  std::vector<torch::Tensor> out;
  for (const std::string& fetch : fetches) {
    const auto [name, k] = SplitRef(fetch);
    const auto& v = values[index_.at(name)];
    if (k < 0 || k >= static_cast<int>(v.size())) {
      return absl::NotFoundError(
          absl::StrCat("node '", name, "' has no output ", k));
    }
    out.push_back(v[k]);
  }
  return out;
}

absl::StatusOr<GraphInterpreter> LoadGraphFromDir(const std::string& model_dir,
                                                  const std::string& name,
                                                  torch::Device device) {
  const std::string json_path = absl::StrCat(model_dir, "/", name, ".json");
  if (!std::ifstream(json_path).good()) {
    return absl::NotFoundError(
        absl::StrCat("model file ", json_path,
                     " not found: run scripts/fetch-models.sh (or set "
                     "VLMC_MODEL_CACHE)"));
  }
  absl::StatusOr<TfjsModel> model = LoadTfjsModel(json_path);
  if (!model.ok()) return model.status();
  return GraphInterpreter::Create(std::move(*model), device);
}

}  // namespace vlmc::semantic
