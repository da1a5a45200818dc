#ifndef VLMC_BENCH_SOAK_PROC_STATS_H_
#define VLMC_BENCH_SOAK_PROC_STATS_H_

#include "absl/status/statusor.h"

namespace vlmc::bench {

// Resident set size (VmRSS) of process `pid` in KiB, from /proc/PID/status.
// NOT_FOUND when the process is gone (or is a zombie: no VmRSS line).
absl::StatusOr<long> ReadRssKib(int pid);

// Open file descriptors of process `pid`: the entries of /proc/PID/fd.
// NOT_FOUND when the process is gone, PERMISSION_DENIED when not ours.
absl::StatusOr<int> CountOpenFds(int pid);

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_SOAK_PROC_STATS_H_
