#include "server/model_registry.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "models/util/sha256.h"

namespace vlmc::service {
namespace {

namespace fs = std::filesystem;

// Numbered subdirectories of `dir` (the versions), ascending.
absl::StatusOr<std::vector<int>> VersionDirs(const fs::path& dir) {
  std::error_code error;
  fs::directory_iterator it(dir, error);
  if (error) {
    return absl::NotFoundError(absl::StrCat(
        "cannot list model directory ", dir.string(), ": ", error.message()));
  }
  std::vector<int> versions;
  for (const fs::directory_entry& entry : it) {
    int version = 0;
    if (entry.is_directory(error) &&
        absl::SimpleAtoi(entry.path().filename().string(), &version) &&
        version > 0 && version <= 65535 &&
        fs::exists(entry.path() / "model.safetensors", error)) {
      versions.push_back(version);
    }
  }
  std::sort(versions.begin(), versions.end());
  return versions;
}

// Every version of `model_id` under `root`, oldest first. NOT_FOUND when
// there is none; FAILED_PRECONDITION when a file's own id/version disagree
// with its directory.
absl::StatusOr<std::vector<ServedModel>> LoadVersions(
    const std::string& root, const std::string& model_id,
    const codec::CodecOptions& options) {
  const fs::path model_dir = fs::path(root) / model_id;
  absl::StatusOr<std::vector<int>> versions = VersionDirs(model_dir);
  if (!versions.ok()) return versions.status();
  if (versions->empty()) {
    return absl::NotFoundError(
        absl::StrCat("no model versions (<N>/model.safetensors) under ",
                     model_dir.string()));
  }
  std::vector<ServedModel> models;
  for (int version : *versions) {
    const std::string path =
        (model_dir / std::to_string(version) / "model.safetensors").string();
    absl::StatusOr<std::unique_ptr<codec::Codec>> codec =
        codec::Codec::Load(path, options);
    if (!codec.ok()) return codec.status();
    const codec::CodecConfig& config = (*codec)->config();
    if (config.model_id != model_id || config.model_version != version) {
      return absl::FailedPreconditionError(absl::StrCat(
          path, " holds model ", config.model_id, " v", config.model_version,
          ", not ", model_id, " v", version, " as its directory says"));
    }
    ServedModel model;
    model.model_id = model_id;
    model.version = version;
    model.weights_sha256_prefix = util::ToHex((*codec)->weights_hash());
    model.codec = *std::move(codec);
    models.push_back(std::move(model));
  }
  return models;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ModelRegistry>> ModelRegistry::Load(
    const std::string& root, const std::string& model_id, int default_version,
    const codec::CodecOptions& options,
    const std::vector<std::string>& extra_model_ids) {
  absl::StatusOr<std::vector<ServedModel>> served =
      LoadVersions(root, model_id, options);
  if (!served.ok()) return served.status();
  if (default_version == 0) default_version = served->back().version;

  std::unique_ptr<ModelRegistry> registry(new ModelRegistry());
  registry->models_ = *std::move(served);
  for (size_t i = 0; i < registry->models_.size(); ++i) {
    ServedModel& model = registry->models_[i];
    model.is_default = model.version == default_version;
    if (model.is_default) registry->default_index_ = i;
  }
  if (!registry->models_[registry->default_index_].is_default) {
    return absl::FailedPreconditionError(
        absl::StrCat("default version ", default_version, " of ", model_id,
                     " not found; ", registry->Served()));
  }
  for (const std::string& extra_id : extra_model_ids) {
    if (extra_id == model_id) continue;
    absl::StatusOr<std::vector<ServedModel>> extra =
        LoadVersions(root, extra_id, options);
    if (!extra.ok()) return extra.status();
    for (ServedModel& model : *extra) {
      registry->models_.push_back(std::move(model));
    }
  }
  return registry;
}

absl::StatusOr<const ServedModel*> ModelRegistry::Resolve(
    const std::string& model_id, uint32_t version) const {
  const ServedModel& fallback = default_model();
  if (model_id.empty() && version == 0) return &fallback;
  const std::string& id = model_id.empty() ? fallback.model_id : model_id;
  const ServedModel* newest = nullptr;  // models_ is oldest first per id
  for (const ServedModel& model : models_) {
    if (model.model_id != id) continue;
    if (static_cast<uint32_t>(model.version) == version) return &model;
    newest = &model;
  }
  if (newest == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("unknown model '", model_id, "'; ", Served()));
  }
  if (version == 0) return newest;
  return absl::FailedPreconditionError(absl::StrCat(
      "unknown version ", version, " of model '", id, "'; ", Served()));
}

absl::StatusOr<const ServedModel*> ModelRegistry::ForStream(
    const bitstream::StreamHeader& header) const {
  for (const ServedModel& model : models_) {
    if (model.model_id == header.model_id &&
        model.version == header.model_version &&
        model.codec->weights_hash() == header.weights_hash) {
      return &model;
    }
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "stream was written by model ", header.model_id, " v",
      header.model_version, " (weights ", util::ToHex(header.weights_hash),
      "), which this server does not hold; ", Served()));
}

std::string ModelRegistry::Served() const {
  return absl::StrCat(
      "this server holds ",
      absl::StrJoin(models_, ", ", [](std::string* out, const ServedModel& m) {
        absl::StrAppend(out, m.model_id, " v", m.version, " (weights ",
                        m.weights_sha256_prefix, ")");
      }));
}

}  // namespace vlmc::service
