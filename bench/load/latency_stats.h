#ifndef VLMC_BENCH_LOAD_LATENCY_STATS_H_
#define VLMC_BENCH_LOAD_LATENCY_STATS_H_

#include <map>
#include <string>
#include <vector>

namespace vlmc::bench {

// Latency percentile by the nearest-rank method: the smallest sample with at
// least p percent of the samples at or below it. 0 for no samples.
double PercentileMs(std::vector<double> latencies_ms, double p);

// What one load level produced: every call's outcome, and the wall time.
struct LevelOutcome {
  std::vector<double> ok_latencies_ms;
  // gRPC status code name -> count, for the calls that did not succeed.
  std::map<std::string, int> errors;
  double wall_seconds = 0.0;
};

struct LevelSummary {
  int requests = 0;
  int ok = 0;
  double throughput_rps = 0.0;  // successful calls per wall second
  double p50_ms = 0.0;
  double p99_ms = 0.0;
  // "RESOURCE_EXHAUSTED:3;UNAVAILABLE:1", or "" when every call succeeded.
  std::string errors;
  // false when any error other than RESOURCE_EXHAUSTED (the expected answer
  // of an overloaded server) occurred.
  bool only_expected_errors = true;
};

LevelSummary Summarize(const LevelOutcome& outcome);

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_LOAD_LATENCY_STATS_H_
