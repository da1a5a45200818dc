#ifndef VLMC_CLIENT_CLIENT_OPTIONS_H_
#define VLMC_CLIENT_CLIENT_OPTIONS_H_

#include <cstdint>
#include <memory>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "grpcpp/security/credentials.h"

namespace vlmc {

// Retries cover UNAVAILABLE only: the server could not be reached or is
// shutting down, so the request was not processed and sending it again is
// safe. Every other code is final. Backoff doubles from `initial_backoff` up
// to `max_backoff` (with +-20% jitter) and never runs past the deadline.
struct RetryPolicy {
  int max_attempts = 4;  // 1: no retries
  absl::Duration initial_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(2);
};

// Settings of a CodecClient or LvlmClient, fixed at Create.
struct ClientOptions {
  // Deadline of one call, retries and backoff included, unless the call
  // gives its own (CallOptions).
  absl::Duration timeout = absl::Seconds(30);
  RetryPolicy retry;
  // Requests, and responses expected to be, larger than this go through the
  // chunked EncodeStream / DecodeStream RPCs (the server's unary limit is
  // gRPC's 4 MiB default; this leaves room for the other fields).
  int64_t max_unary_bytes = int64_t{7} << 19;  // 3.5 MiB
  // Payload bytes per message of a chunked call.
  int64_t stream_chunk_bytes = int64_t{1} << 20;
  // Largest single message this client accepts (gRPC's default is 4 MiB).
  int max_receive_message_bytes = 256 << 20;
  // Channel credentials; null means plaintext
  // (grpc::InsecureChannelCredentials).
  std::shared_ptr<grpc::ChannelCredentials> credentials;
};

// Per-call settings.
struct CallOptions {
  // Overrides ClientOptions::timeout when positive.
  absl::Duration timeout = absl::ZeroDuration();
};

// INVALID_ARGUMENT naming the first field out of range.
absl::Status ValidateClientOptions(const ClientOptions& options);

}  // namespace vlmc

#endif  // VLMC_CLIENT_CLIENT_OPTIONS_H_
