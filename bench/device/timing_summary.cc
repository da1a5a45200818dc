#include "bench/device/timing_summary.h"

#include <algorithm>
#include <cmath>

namespace vlmc::bench {

TimingSummary SummarizeTimings(std::vector<double> samples_ms) {
  TimingSummary summary;
  if (samples_ms.empty()) return summary;
  std::sort(samples_ms.begin(), samples_ms.end());
  const size_t n = samples_ms.size();
  summary.median_ms = n % 2 == 1
                          ? samples_ms[n / 2]
                          : 0.5 * (samples_ms[n / 2 - 1] + samples_ms[n / 2]);
  const size_t rank = static_cast<size_t>(std::ceil(0.9 * n));
  summary.p90_ms = samples_ms[std::max<size_t>(rank, 1) - 1];
  return summary;
}

}  // namespace vlmc::bench
