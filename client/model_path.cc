#include "client/model_path.h"

#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "models/bitstream/stream_format.h"

namespace vlmc::cli {

std::string ModelPathFromEnvironment() {
  const char* env = std::getenv("VLMC_MODEL");
  return env != nullptr ? env : "";
}

std::string DefaultModelPath() {
  std::string from_env = ModelPathFromEnvironment();
  return from_env.empty() ? VLMC_DEFAULT_MODEL_PATH : from_env;
}

absl::StatusOr<std::string> ModelPathForStream(const std::string& stream) {
  absl::StatusOr<bitstream::ParsedStream> parsed =
      bitstream::ParseStream(stream);
  if (!parsed.ok()) return parsed.status();
  const bitstream::StreamHeader& header = parsed->header;
  // Ids are [a-z0-9._-]; "." and ".." would leave the zoo.
  if (header.model_id == "." || header.model_id == "..") {
    return absl::DataLossError(
        absl::StrCat("vlmc stream: model id '", header.model_id, "'"));
  }
  const std::filesystem::path path =
      std::filesystem::path(VLMC_MODEL_ZOO_DIR) / header.model_id /
      std::to_string(header.model_version) / "model.safetensors";
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    return absl::NotFoundError(absl::StrCat(
        "stream was written by model ", header.model_id, " v",
        header.model_version, ", which is not in the model zoo (no ",
        path.string(), "); pass --model FILE"));
  }
  return path.string();
}

}  // namespace vlmc::cli
