#include "server/call_support.h"

#include <chrono>
#include <exception>

#include "absl/strings/str_cat.h"

namespace vlmc::service {

StopCheck StopCheckFor(grpc::CallbackServerContext* call) {
  return [call] {
    return call->IsCancelled() ||
           std::chrono::system_clock::now() >= call->deadline();
  };
}

absl::Status RunGuarded(grpc::CallbackServerContext* call,
                        const std::function<absl::Status()>& work) {
  absl::Status status;
  try {
    status = work();
  } catch (const std::exception& e) {
    status = absl::InternalError(absl::StrCat("inference failed: ", e.what()));
  }
  if (absl::IsCancelled(status) &&
      std::chrono::system_clock::now() >= call->deadline()) {
    return absl::DeadlineExceededError(absl::StrCat(
        "the deadline passed during the work (", status.message(), ")"));
  }
  return status;
}

std::string BatchKey(const std::string& method, const ServedModel& model) {
  return absl::StrCat(method, "/", model.model_id, "/", model.version);
}

}  // namespace vlmc::service
