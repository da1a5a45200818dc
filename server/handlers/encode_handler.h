#ifndef VLMC_SERVER_HANDLERS_ENCODE_HANDLER_H_
#define VLMC_SERVER_HANDLERS_ENCODE_HANDLER_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "models/ratecontrol/rate_search.h"
#include "server/model_registry.h"
#include "server/service_context.h"
#include "vlmc/v1/codec.pb.h"

namespace vlmc::service {

// Encode (and EncodeStream once its chunks are joined).
class EncodeHandler {
 public:
  using Request = v1::EncodeRequest;
  using Response = v1::EncodeResponse;
  struct Admitted {
    const ServedModel* model = nullptr;
    ratecontrol::RateTarget target;
  };

  explicit EncodeHandler(const ServiceContext& context) : context_(context) {}

  // Checks that need no image decoding (on the gRPC thread, before queueing).
  absl::StatusOr<Admitted> Admit(const Request& request) const;
  // Decodes the image and runs the rate search (on a worker).
  absl::Status Run(const Request& request, const Admitted& admitted,
                   const StopCheck& should_stop, Response* response) const;

 private:
  const ServiceContext& context_;
};

}  // namespace vlmc::service

#endif  // VLMC_SERVER_HANDLERS_ENCODE_HANDLER_H_
