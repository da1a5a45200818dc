#ifndef VLMC_SERVER_MODEL_REGISTRY_H_
#define VLMC_SERVER_MODEL_REGISTRY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "models/bitstream/stream_format.h"
#include "models/codec/codec.h"

namespace vlmc::service {

// One loaded version of a served model.
struct ServedModel {
  std::string model_id;
  int version = 0;
  std::string weights_sha256_prefix;  // hex of the 8 bytes streams carry
  bool is_default = false;
  std::unique_ptr<codec::Codec> codec;
};

// Every version of the served model id and of any extra ids, loaded once at
// start and read-only after: requests pick a model by selector, and Decode
// picks whichever model wrote the stream, so streams from older versions and
// other shipped models keep decoding.
class ModelRegistry {
 public:
  // Loads <root>/<id>/<N>/model.safetensors for every numbered N, for
  // `model_id` and each of `extra_model_ids`. `default_version` (of
  // `model_id`) 0 makes its newest version the default. NOT_FOUND when an id
  // has no version, FAILED_PRECONDITION when the default version is missing
  // or a file's own id/version disagree with its directory; load errors keep
  // their code and name the file. `options` say where the codecs run.
  static absl::StatusOr<std::unique_ptr<ModelRegistry>> Load(
      const std::string& root, const std::string& model_id, int default_version,
      const codec::CodecOptions& options = {},
      const std::vector<std::string>& extra_model_ids = {});

  // The model a request asks for: empty `model_id` means the default model's
  // id, `version` 0 the default version for the default id and the newest
  // version for any other id. FAILED_PRECONDITION naming what is served
  // when there is no such model.
  absl::StatusOr<const ServedModel*> Resolve(const std::string& model_id,
                                             uint32_t version) const;

  // The model that wrote a stream (same id, version and weights hash), or
  // FAILED_PRECONDITION.
  absl::StatusOr<const ServedModel*> ForStream(
      const bitstream::StreamHeader& header) const;

  // The served id's versions oldest first, then each extra id's likewise.
  const std::vector<ServedModel>& models() const { return models_; }
  const ServedModel& default_model() const { return models_[default_index_]; }

 private:
  ModelRegistry() = default;
  std::string Served() const;

  std::vector<ServedModel> models_;
  size_t default_index_ = 0;
};

}  // namespace vlmc::service

#endif  // VLMC_SERVER_MODEL_REGISTRY_H_
