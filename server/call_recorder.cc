#include "server/call_recorder.h"

#include <utility>

#include "absl/time/clock.h"
#include "grpcpp/support/status_code_enum.h"

namespace vlmc::service {

CallRecorder::CallRecorder(Metrics& metrics, std::string method)
    : metrics_(metrics), method_(std::move(method)), start_(absl::Now()) {
  metrics_.AddInFlight(+1);
}

CallRecorder::~CallRecorder() {
  // A call torn down without a status (never expected) still leaves the
  // in-flight gauge.
  Finish(absl::UnknownError("call ended without a status"));
}

void CallRecorder::Finish(const absl::Status& status) {
  if (finished_) return;
  finished_ = true;
  metrics_.AddInFlight(-1);
  metrics_.RecordRequest(method_, static_cast<grpc::StatusCode>(status.code()),
                         absl::ToDoubleSeconds(absl::Now() - start_),
                         received_bytes_, sent_bytes_);
}

}  // namespace vlmc::service
