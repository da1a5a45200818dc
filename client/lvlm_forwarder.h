#ifndef VLMC_CLIENT_LVLM_FORWARDER_H_
#define VLMC_CLIENT_LVLM_FORWARDER_H_

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "client/client_options.h"
#include "client/codec_client.h"
#include "client/lvlm_client.h"
#include "vlmc/v1/lvlm.pb.h"

namespace vlmc {

// What DecodeAndInfer returns: the model's answer and where the time went.
struct ForwardResult {
  v1::InferResponse answer;  // answer.infer_ms: the LVLM server's compute time
  uint32_t width = 0;        // the decoded image
  uint32_t height = 0;
  double decode_ms = 0;         // Decode round trip, as this client saw it
  double server_decode_ms = 0;  // the codec server's compute time
  double infer_ms = 0;          // Infer round trip
  double total_ms = 0;
};

// The cloud side of the pipeline in one call: decodes a .vlmc stream on a
// VlmCodec server into a float tensor (OUTPUT_FORMAT_FLOAT32_NCHW) and hands
// it to an LvlmService. Thread-safe.
class LvlmForwarder {
 public:
  static absl::StatusOr<std::unique_ptr<LvlmForwarder>> Create(
      const std::string& codec_target, const std::string& lvlm_target,
      const ClientOptions& options = {});
  // Separate settings per server, e.g. TLS and a bearer token for the codec
  // server only; `codec_options.timeout` is the default call timeout.
  static absl::StatusOr<std::unique_ptr<LvlmForwarder>> Create(
      const std::string& codec_target, const ClientOptions& codec_options,
      const std::string& lvlm_target, const ClientOptions& lvlm_options);

  // `call.timeout` (or the options' default) bounds both RPCs together.
  // Errors are those of Decode or Infer, whichever failed.
  absl::StatusOr<ForwardResult> DecodeAndInfer(
      absl::string_view stream, const std::string& task,
      const std::string& prompt,
      const std::map<std::string, std::string>& options,
      const CallOptions& call = {});

 private:
  LvlmForwarder(std::unique_ptr<CodecClient> codec,
                std::unique_ptr<LvlmClient> lvlm, absl::Duration timeout);

  std::unique_ptr<CodecClient> codec_;
  std::unique_ptr<LvlmClient> lvlm_;
  absl::Duration default_timeout_;
};

}  // namespace vlmc

#endif  // VLMC_CLIENT_LVLM_FORWARDER_H_
