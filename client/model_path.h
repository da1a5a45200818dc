#ifndef VLMC_CLIENT_MODEL_PATH_H_
#define VLMC_CLIENT_MODEL_PATH_H_

#include <string>

#include "absl/status/statusor.h"

namespace vlmc::cli {

// The model the CLI uses when --model is not given: VLMC_MODEL if set, else
// models/zoo/<default name>/<default version>/model.safetensors of the
// source tree the binary was built from.
std::string DefaultModelPath();

}  // namespace vlmc::cli

#endif  // VLMC_CLIENT_MODEL_PATH_H_
