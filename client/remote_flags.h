#ifndef VLMC_CLIENT_REMOTE_FLAGS_H_
#define VLMC_CLIENT_REMOTE_FLAGS_H_

#include "absl/status/statusor.h"
#include "client/client_options.h"
#include "models/util/cli_flags.h"

namespace vlmc::cli {

// Client settings from ServerFlags(): the deadline from --deadline-ms, TLS
// from the --tls flags, the bearer token from --token-file (or $VLMC_TOKEN),
// the rest at their defaults. INVALID_ARGUMENT for a deadline that is not a
// positive integer, --tls-cert without --tls-key (or the reverse), or a
// token file that cannot be read or holds no single token. The TLS files
// are read later, by the client's Create.
absl::StatusOr<ClientOptions> ClientOptionsFromFlags(const Flags& flags);

}  // namespace vlmc::cli

#endif  // VLMC_CLIENT_REMOTE_FLAGS_H_
