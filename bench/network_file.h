// Pieces the model-inspection tools (vlmc-rate-check, vlmc-refine-check)
// share: their quality list and a model or checkpoint file loaded as a
// float32 network in eval mode.
#ifndef VLMC_BENCH_NETWORK_FILE_H_
#define VLMC_BENCH_NETWORK_FILE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "models/codec/codec_config.h"
#include "models/codec/hyperprior_network.h"

namespace vlmc::bench {

// "0,0.5,1" -> {0, 0.5, 1}; INVALID_ARGUMENT unless every value is in [0, 1].
absl::StatusOr<std::vector<double>> ParseQualityList(absl::string_view list);

struct NetworkFile {
  codec::CodecConfig config;
  codec::HyperpriorNetwork network{nullptr};  // float32, eval mode
};

// Reads a checkpoint or model file (safetensors).
absl::StatusOr<NetworkFile> LoadNetworkFile(const std::string& path);

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_NETWORK_FILE_H_
