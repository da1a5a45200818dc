#ifndef VLMC_CLIENT_REMOTE_FLAGS_H_
#define VLMC_CLIENT_REMOTE_FLAGS_H_

#include "absl/status/statusor.h"
#include "client/cli_flags.h"
#include "client/client_options.h"

namespace vlmc::cli {

// Client settings from ServerFlags(): the deadline from --deadline-ms, the
// rest at their defaults. INVALID_ARGUMENT for a deadline that is not a
// positive integer.
absl::StatusOr<ClientOptions> ClientOptionsFromFlags(const Flags& flags);

}  // namespace vlmc::cli

#endif  // VLMC_CLIENT_REMOTE_FLAGS_H_
