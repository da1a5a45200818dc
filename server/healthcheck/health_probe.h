#ifndef VLMC_SERVER_HEALTHCHECK_HEALTH_PROBE_H_
#define VLMC_SERVER_HEALTHCHECK_HEALTH_PROBE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace vlmc::healthcheck {

// What grpc.health.v1.Health/Check answered.
enum class ServingState { kUnknown, kServing, kNotServing, kServiceUnknown };

const char* ServingStateName(ServingState state);

// Calls grpc.health.v1.Health/Check for `service` ("" asks about the whole
// server) on `address` over an insecure channel, waiting at most `timeout`.
// Fails fast: nothing listening is UNAVAILABLE at once, not a wait for the
// deadline. A failed call (unreachable, deadline, no health service) is the
// call's status; NOT_FOUND from the server means the service is unknown and
// comes back as kServiceUnknown.
absl::StatusOr<ServingState> CheckHealth(const std::string& address,
                                         const std::string& service,
                                         absl::Duration timeout);

}  // namespace vlmc::healthcheck

#endif  // VLMC_SERVER_HEALTHCHECK_HEALTH_PROBE_H_
