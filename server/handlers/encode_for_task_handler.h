#ifndef VLMC_SERVER_HANDLERS_ENCODE_FOR_TASK_HANDLER_H_
#define VLMC_SERVER_HANDLERS_ENCODE_FOR_TASK_HANDLER_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "models/ratecontrol/task_fidelity.h"
#include "server/handlers/request_checks.h"
#include "server/model_registry.h"
#include "server/service_context.h"
#include "vlmc/v1/codec.pb.h"

namespace vlmc::service {

// EncodeForTask: the smallest stream whose reconstruction keeps the task
// signal, by search over the continuous rate parameter.
class EncodeForTaskHandler {
 public:
  using Request = v1::EncodeForTaskRequest;
  using Response = v1::EncodeForTaskResponse;
  struct Admitted {
    const ServedModel* model = nullptr;
    ratecontrol::TaskMetric metric = ratecontrol::TaskMetric::kTokenCosine;
    double min_fidelity = 0;
    int max_passes = 0;
  };

  explicit EncodeForTaskHandler(const ServiceContext& context)
      : context_(context) {}

  // FAILED_PRECONDITION (with the fix) when the semantic models are missing.
  absl::StatusOr<Admitted> Admit(const Request& request) const;
  absl::Status Run(const Request& request, const Admitted& admitted,
                   const StopCheck& should_stop, Response* response) const;

 private:
  const ServiceContext& context_;
};

}  // namespace vlmc::service

#endif  // VLMC_SERVER_HANDLERS_ENCODE_FOR_TASK_HANDLER_H_
