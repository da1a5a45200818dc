#include "client/remote_flags.h"

namespace vlmc::cli {

absl::StatusOr<ClientOptions> ClientOptionsFromFlags(const Flags& flags) {
  absl::StatusOr<int64_t> deadline_ms = flags.GetInt("deadline-ms");
  if (!deadline_ms.ok()) return deadline_ms.status();
  if (*deadline_ms <= 0)
    return absl::InvalidArgumentError("--deadline-ms must be positive");
  ClientOptions options;
  options.timeout = absl::Milliseconds(*deadline_ms);
  return options;
}

}  // namespace vlmc::cli
