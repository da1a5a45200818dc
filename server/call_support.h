#ifndef VLMC_SERVER_CALL_SUPPORT_H_
#define VLMC_SERVER_CALL_SUPPORT_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grpcpp/server_context.h"
#include "server/model_registry.h"
#include "server/service_context.h"

namespace vlmc::service {

// The access check every VlmCodec RPC starts with (the health service does
// not go through it): OK when the server needs no tokens, otherwise the
// verdict of the context's TokenTable on the call's `authorization`
// metadata (UNAUTHENTICATED, PERMISSION_DENIED). `method` is the RPC's name
// in codec.proto, e.g. "Encode".
absl::Status AuthorizeCall(const ServiceContext& context,
                           const grpc::CallbackServerContext& call,
                           absl::string_view method);

// True once `call` is cancelled or past its deadline.
StopCheck StopCheckFor(grpc::CallbackServerContext* call);

// Runs a handler's work on a worker: a C++ exception (e.g. from LibTorch)
// becomes INTERNAL instead of ending the process, and a search stopped by
// the call's deadline reports DEADLINE_EXCEEDED rather than CANCELLED.
absl::Status RunGuarded(grpc::CallbackServerContext* call,
                        const std::function<absl::Status()>& work);

// Jobs with equal keys (same RPC, same model version) may share a batch.
std::string BatchKey(const std::string& method, const ServedModel& model);

}  // namespace vlmc::service

#endif  // VLMC_SERVER_CALL_SUPPORT_H_
