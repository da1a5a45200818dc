#ifndef VLMC_CLIENT_MODEL_PATH_H_
#define VLMC_CLIENT_MODEL_PATH_H_

#include <string>

#include "absl/status/statusor.h"

namespace vlmc::cli {

// The VLMC_MODEL environment variable; empty when unset.
std::string ModelPathFromEnvironment();

// The model the CLI uses when --model is not given: VLMC_MODEL if set, else
// models/zoo/<default name>/<default version>/model.safetensors of the
// source tree the binary was built from.
std::string DefaultModelPath();

// The model that wrote `stream` (what `vlmc decode` uses when neither
// --model nor VLMC_MODEL is given), looked up by the id and version in its
// header in the zoo the binary was built with
// (<zoo>/<id>/<version>/model.safetensors). NOT_FOUND naming the path when
// the zoo lacks it; the stream's own errors when its header does not parse.
absl::StatusOr<std::string> ModelPathForStream(const std::string& stream);

}  // namespace vlmc::cli

#endif  // VLMC_CLIENT_MODEL_PATH_H_
