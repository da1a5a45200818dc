#ifndef VLMC_CLIENT_RPC_CALL_H_
#define VLMC_CLIENT_RPC_CALL_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "client/client_options.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"

namespace vlmc {

// A channel to `target` with the options' credentials (TLS files read now)
// and receive limit. INVALID_ARGUMENT for a TLS file that cannot be used.
absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(
    const std::string& target, const ClientOptions& options);

// What every client's Create does first: refuses an empty `target` (naming
// `service`, e.g. "VlmCodec") and invalid options, then calls MakeChannel.
absl::StatusOr<std::shared_ptr<grpc::Channel>> OpenClientChannel(
    const std::string& target, absl::string_view service,
    const ClientOptions& options);

// The deadline of a call that starts now.
absl::Time CallDeadline(const ClientOptions& options, const CallOptions& call);

// Runs `attempt` (one RPC on a fresh context carrying `deadline` and the
// options' bearer token) until it returns anything but UNAVAILABLE,
// `options.retry.max_attempts` are spent or the next backoff would end past
// the deadline. The final status keeps its gRPC code; its message is
// "<what>: <server's message>", plus the number of attempts when more than
// one was made.
absl::Status CallWithRetry(
    absl::string_view what, const ClientOptions& options, absl::Time deadline,
    const std::function<grpc::Status(grpc::ClientContext&)>& attempt);

}  // namespace vlmc

#endif  // VLMC_CLIENT_RPC_CALL_H_
