#include "bench/network_file.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "models/codec/checkpoint.h"
#include "models/codec/safetensors.h"

namespace vlmc::bench {

absl::StatusOr<std::vector<double>> ParseQualityList(absl::string_view list) {
  std::vector<double> qualities;
  for (absl::string_view part : absl::StrSplit(list, ',')) {
    double q = 0;
    if (!absl::SimpleAtod(part, &q) || !(q >= 0 && q <= 1)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--qualities: '", part, "' is not in [0, 1]"));
    }
    qualities.push_back(q);
  }
  return qualities;
}

absl::StatusOr<NetworkFile> LoadNetworkFile(const std::string& path) {
  absl::StatusOr<codec::TensorFile> file = codec::ReadSafetensorsFile(path);
  if (!file.ok()) return file.status();
  absl::StatusOr<codec::CodecConfig> config =
      codec::CodecConfig::FromMetadata(file->metadata);
  if (!config.ok()) return config.status();
  NetworkFile loaded{*config, codec::HyperpriorNetwork(*config)};
  if (absl::Status status = codec::LoadNetworkWeights(*file, loaded.network);
      !status.ok()) {
    return status;
  }
  loaded.network->to(torch::kFloat32);
  loaded.network->eval();
  return loaded;
}

}  // namespace vlmc::bench
