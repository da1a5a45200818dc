#ifndef VLMC_SERVER_HANDLERS_DECODE_HANDLER_H_
#define VLMC_SERVER_HANDLERS_DECODE_HANDLER_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "models/bitstream/stream_format.h"
#include "server/model_registry.h"
#include "server/service_context.h"
#include "vlmc/v1/codec.pb.h"

namespace vlmc::service {

// Decode (and DecodeStream once its chunks are joined). Unary Decode calls
// are batched: calls whose streams share a model and a latent shape run
// through RunBatch, which synthesises them in one network pass.
class DecodeHandler {
 public:
  using Request = v1::DecodeRequest;
  using Response = v1::DecodeResponse;
  struct Admitted {
    const ServedModel* model = nullptr;  // the one that wrote the stream
    bitstream::StreamHeader header;
    // codec::Codec::BatchKey of the stream (model and latent shape).
    std::string shape_key;
  };
  // One unary Decode call waiting to run in a batch.
  struct BatchedCall {
    const Request* request = nullptr;
    Admitted admitted;
    Response* response = nullptr;
    // Ends the call; RunBatch calls it exactly once, after filling
    // `response` when the status is OK.
    std::function<void(absl::Status)> finish;
  };

  explicit DecodeHandler(const ServiceContext& context) : context_(context) {}

  // Verifies the stream's container (length, CRC, limits) and finds the
  // model that wrote it, before any network runs.
  absl::StatusOr<Admitted> Admit(const Request& request) const;
  absl::Status Run(const Request& request, const Admitted& admitted,
                   const StopCheck& should_stop, Response* response) const;
  // Decodes calls whose admitted shape_key and model are equal: the entropy
  // stage per call, then one synthesis for as many calls as fit in the
  // codec's pixel limit together (so a batch needs no more memory than the
  // largest single decode). Each call gets its own result or error.
  void RunBatch(std::vector<BatchedCall>& calls) const;

 private:
  const ServiceContext& context_;
};

}  // namespace vlmc::service

#endif  // VLMC_SERVER_HANDLERS_DECODE_HANDLER_H_
