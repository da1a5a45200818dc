#include "server/call_support.h"

#include <chrono>
#include <exception>
#include <vector>

#include "absl/strings/str_cat.h"

namespace vlmc::service {

absl::Status AuthorizeCall(const ServiceContext& context,
                           const grpc::CallbackServerContext& call,
                           absl::string_view method) {
  if (context.tokens == nullptr) return absl::OkStatus();
  std::vector<absl::string_view> authorization;
  const auto [begin, end] = call.client_metadata().equal_range("authorization");
  for (auto it = begin; it != end; ++it) {
    authorization.emplace_back(it->second.data(), it->second.size());
  }
  return context.tokens->Authorize(authorization, method).status();
}

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
