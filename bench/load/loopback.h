#ifndef VLMC_BENCH_LOAD_LOOPBACK_H_
#define VLMC_BENCH_LOAD_LOOPBACK_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace vlmc::bench {

// OK iff `target` is HOST:PORT with HOST a loopback address (127.x.y.z,
// localhost, ::1 or [::1]) and a port in 1..65535: load tools must never
// point at someone else's machine. INVALID_ARGUMENT otherwise.
absl::Status CheckLoopbackTarget(absl::string_view target);

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_LOAD_LOOPBACK_H_
