#ifndef VLMC_BENCH_RATE_ACCURACY_PROGRESS_H_
#define VLMC_BENCH_RATE_ACCURACY_PROGRESS_H_

#include <string>

#include "absl/strings/string_view.h"

namespace vlmc::bench {

// "45s", "3m07s", "1h02m".
std::string FormatDuration(double seconds);

// "<what> [done/total, elapsed 1m05s, ETA 3m20s]": the ETA assumes the
// remaining tasks take as long as the finished ones did on average ("ETA ?"
// before the first one finishes).
std::string ProgressLine(absl::string_view what, int done, int total,
                         double elapsed_seconds);

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_RATE_ACCURACY_PROGRESS_H_
