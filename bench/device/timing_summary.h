#ifndef VLMC_BENCH_DEVICE_TIMING_SUMMARY_H_
#define VLMC_BENCH_DEVICE_TIMING_SUMMARY_H_

#include <vector>

namespace vlmc::bench {

struct TimingSummary {
  double median_ms = 0;
  double p90_ms = 0;  // nearest rank: the smallest sample >= 90% of them
};

// Zeros for no samples.
TimingSummary SummarizeTimings(std::vector<double> samples_ms);

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_DEVICE_TIMING_SUMMARY_H_
