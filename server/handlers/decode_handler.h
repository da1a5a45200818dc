#ifndef VLMC_SERVER_HANDLERS_DECODE_HANDLER_H_
#define VLMC_SERVER_HANDLERS_DECODE_HANDLER_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "models/bitstream/stream_format.h"
#include "server/model_registry.h"
#include "server/service_context.h"
#include "vlmc/v1/codec.pb.h"

namespace vlmc::service {

// Decode (and DecodeStream once its chunks are joined).
class DecodeHandler {
 public:
  using Request = v1::DecodeRequest;
  using Response = v1::DecodeResponse;
  struct Admitted {
    const ServedModel* model = nullptr;  // the one that wrote the stream
    bitstream::StreamHeader header;
  };

  explicit DecodeHandler(const ServiceContext& context) : context_(context) {}

  // Verifies the stream's container (length, CRC, limits) and finds the
  // model that wrote it, before any network runs.
  absl::StatusOr<Admitted> Admit(const Request& request) const;
  absl::Status Run(const Request& request, const Admitted& admitted,
                   const StopCheck& should_stop, Response* response) const;

 private:
  const ServiceContext& context_;
};

}  // namespace vlmc::service

#endif  // VLMC_SERVER_HANDLERS_DECODE_HANDLER_H_
