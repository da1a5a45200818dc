#include "client/client_options.h"

namespace vlmc {

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
  return absl::OkStatus();
}

}  // namespace vlmc
