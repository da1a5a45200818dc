#include "client/rpc_call.h"

#include <algorithm>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "client/tls_credentials.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "proto/rpc/channel_arguments.h"
#include "proto/rpc/grpc_status.h"

namespace vlmc {

absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(
    const std::string& target, const ClientOptions& options) {
  grpc::ChannelArguments args =
      rpc::ClientChannelArguments(options.max_receive_message_bytes);
  std::shared_ptr<grpc::ChannelCredentials> credentials = options.credentials;
  if (options.tls.enabled) {
    absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> tls =
        TlsChannelCredentials(options.tls);
    if (!tls.ok()) return tls.status();
    credentials = *std::move(tls);
    if (!options.tls.server_name.empty()) {
      args.SetSslTargetNameOverride(options.tls.server_name);
    }
  }
  if (credentials == nullptr) {
    credentials = grpc::InsecureChannelCredentials();
  }
  return grpc::CreateCustomChannel(target, credentials, args);
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> OpenClientChannel(
    const std::string& target, absl::string_view service,
    const ClientOptions& options) {
  if (target.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("empty ", service, " server address"));
  }
  if (absl::Status s = ValidateClientOptions(options); !s.ok()) return s;
  return MakeChannel(target, options);
}

absl::Time CallDeadline(const ClientOptions& options, const CallOptions& call) {
  return absl::Now() +
         (call.timeout > absl::ZeroDuration() ? call.timeout : options.timeout);
}

absl::Status CallWithRetry(
    absl::string_view what, const ClientOptions& options, absl::Time deadline,
    const std::function<grpc::Status(grpc::ClientContext&)>& attempt) {
  const RetryPolicy& policy = options.retry;
  const std::string authorization =
      options.bearer_token.empty()
          ? ""
          : absl::StrCat("Bearer ", options.bearer_token);
  absl::BitGen jitter;
  absl::Duration backoff = policy.initial_backoff;
  int attempts = 0;
  grpc::Status status;
  while (true) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(deadline));
    if (!authorization.empty()) {
      context.AddMetadata("authorization", authorization);
    }
    status = attempt(context);
    ++attempts;
    if (status.error_code() != grpc::StatusCode::UNAVAILABLE ||
        attempts >= policy.max_attempts) {
      break;
    }
    const absl::Duration sleep = backoff * absl::Uniform(jitter, 0.8, 1.2);
    if (absl::Now() + sleep >= deadline) break;
    absl::SleepFor(sleep);
    backoff = std::min(backoff * 2, policy.max_backoff);
  }
  const absl::Status result = rpc::FromGrpcStatus(status);
  if (result.ok()) return result;
  std::string message = absl::StrCat(what, ": ", result.message());
  if (attempts > 1) absl::StrAppend(&message, " (", attempts, " attempts)");
  return absl::Status(result.code(), message);
}

}  // namespace vlmc
