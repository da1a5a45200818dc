#include "client/model_path.h"

#include <cstdlib>

namespace vlmc::cli {

std::string DefaultModelPath() {
  if (const char* env = std::getenv("VLMC_MODEL");
      env != nullptr && *env != '\0')
    return env;
  return VLMC_DEFAULT_MODEL_PATH;
}

}  // namespace vlmc::cli
