#ifndef VLMC_CLIENT_CLIENT_OPTIONS_H_
#define VLMC_CLIENT_CLIENT_OPTIONS_H_

#include <cstdint>
#include <memory>
#include <string>

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

// TLS for a client's channel. The files are read (and checked) at Create.
struct TlsOptions {
  bool enabled = false;  // TLS instead of plaintext
  // PEM CA certificates the server's certificate must chain to; empty:
  // gRPC's default roots.
  std::string ca_file;
  // PEM certificate chain and unencrypted private key this client presents
  // (mutual TLS); both or neither.
  std::string cert_file;
  std::string key_file;
  // Name the server's certificate must carry when it is not the target's
  // host, e.g. "vlmc-server.vlmc.svc" through a port-forward to 127.0.0.1.
  std::string server_name;
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
  // TLS from PEM files; or give ready `credentials` instead (not both).
  TlsOptions tls;
  // Channel credentials; null (and TLS off) means plaintext
  // (grpc::InsecureChannelCredentials).
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  // Sent on every call as metadata "authorization: Bearer <token>" (empty:
  // none). Visible ASCII only. Without TLS it travels in the clear.
  std::string bearer_token;
};

// Per-call settings.
struct CallOptions {
  // Overrides ClientOptions::timeout when positive.
  absl::Duration timeout = absl::ZeroDuration();
};

// INVALID_ARGUMENT naming the first field out of range or inconsistent.
// Does not read the TLS files.
absl::Status ValidateClientOptions(const ClientOptions& options);

}  // namespace vlmc

#endif  // VLMC_CLIENT_CLIENT_OPTIONS_H_
