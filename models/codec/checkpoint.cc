#include "models/codec/checkpoint.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace vlmc::codec {

TensorFile NetworkToTensorFile(HyperpriorNetwork& network,
                               const CodecConfig& config,
                               torch::ScalarType dtype) {
  TensorFile file;
  file.metadata = config.ToMetadata();
  for (const auto& item : network->named_parameters()) {
    file.tensors[item.key()] =
        item.value().detach().to(torch::kCPU, dtype).contiguous();
  }
  return file;
}

absl::Status LoadNetworkWeights(const TensorFile& file,
                                HyperpriorNetwork& network,
                                bool fresh_pre_editor) {
  torch::NoGradGuard no_grad;
  size_t network_tensors = 0;
  for (const auto& [name, tensor] : file.tensors) {
    if (!absl::StartsWith(name, "entropy.")) ++network_tensors;
  }
  std::vector<torch::OrderedDict<std::string, torch::Tensor>::Item> parameters;
  for (auto& item : network->named_parameters()) {
    if (fresh_pre_editor && absl::StartsWith(item.key(), kPreEditorPrefix))
      continue;
    parameters.push_back(item);
  }
  if (network_tensors != parameters.size()) {
    return absl::FailedPreconditionError(
        absl::StrCat("model file holds ", network_tensors,
                     " weight tensors, the network has ", parameters.size()));
  }
  for (auto& item : parameters) {
    auto it = file.tensors.find(item.key());
    if (it == file.tensors.end()) {
      return absl::FailedPreconditionError(
          absl::StrCat("model file lacks weight '", item.key(), "'"));
    }
    if (it->second.sizes() != item.value().sizes()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "weight '", item.key(), "' has shape ", c10::str(it->second.sizes()),
          ", the network expects ", c10::str(item.value().sizes())));
    }
    if (!it->second.is_floating_point()) {
      return absl::DataLossError(
          absl::StrCat("weight '", item.key(), "' is not floating point"));
    }
    item.value().copy_(it->second.to(torch::kFloat32));
  }
  return absl::OkStatus();
}

}  // namespace vlmc::codec
