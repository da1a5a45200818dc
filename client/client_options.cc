#include "client/client_options.h"

#include <algorithm>

namespace vlmc {
namespace {

absl::Status ValidateSecurityOptions(const ClientOptions& options) {
  const TlsOptions& tls = options.tls;
  if (!tls.enabled && !(tls.ca_file.empty() && tls.cert_file.empty() &&
                        tls.key_file.empty() && tls.server_name.empty())) {
    return absl::InvalidArgumentError(
        "tls files or server_name are set but tls.enabled is false");
  }
  if (tls.enabled && options.credentials != nullptr) {
    return absl::InvalidArgumentError(
        "give either tls or credentials, not both");
  }
  if (tls.cert_file.empty() != tls.key_file.empty()) {
    return absl::InvalidArgumentError(
        "tls.cert_file and tls.key_file go together (mutual TLS)");
  }
  const bool visible_ascii =
      std::all_of(options.bearer_token.begin(), options.bearer_token.end(),
                  [](char c) { return c > ' ' && c < '\x7f'; });
  if (!visible_ascii) {
    return absl::InvalidArgumentError(
        "bearer_token holds characters other than visible ASCII");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateClientOptions(const ClientOptions& options) {
  if (options.timeout <= absl::ZeroDuration())
    return absl::InvalidArgumentError("timeout must be positive");
  if (options.retry.max_attempts < 1)
    return absl::InvalidArgumentError("retry.max_attempts must be >= 1");
  if (options.retry.initial_backoff < absl::ZeroDuration() ||
      options.retry.max_backoff < options.retry.initial_backoff) {
    return absl::InvalidArgumentError(
        "retry backoffs must satisfy 0 <= initial_backoff <= max_backoff");
  }
  if (options.stream_chunk_bytes < 1 ||
      options.stream_chunk_bytes > options.max_unary_bytes) {
    return absl::InvalidArgumentError(
        "stream_chunk_bytes must be in [1, max_unary_bytes]");
  }
  if (options.max_receive_message_bytes < options.max_unary_bytes) {
    return absl::InvalidArgumentError(
        "max_receive_message_bytes must be >= max_unary_bytes");
  }
  return ValidateSecurityOptions(options);
}

}  // namespace vlmc
