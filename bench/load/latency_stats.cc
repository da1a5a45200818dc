#include "bench/load/latency_stats.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"

namespace vlmc::bench {

double PercentileMs(std::vector<double> latencies_ms, double p) {
  if (latencies_ms.empty()) return 0.0;
  std::sort(latencies_ms.begin(), latencies_ms.end());
  const double rank = std::ceil(p / 100.0 * latencies_ms.size());
  const size_t index = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return latencies_ms[std::min(index, latencies_ms.size() - 1)];
}

LevelSummary Summarize(const LevelOutcome& outcome) {
  LevelSummary summary;
  summary.ok = static_cast<int>(outcome.ok_latencies_ms.size());
  summary.requests = summary.ok;
  for (const auto& [code, count] : outcome.errors) {
    summary.requests += count;
    if (!summary.errors.empty()) summary.errors += ";";
    absl::StrAppend(&summary.errors, code, ":", count);
    if (code != "RESOURCE_EXHAUSTED") summary.only_expected_errors = false;
  }
  if (outcome.wall_seconds > 0) {
    summary.throughput_rps = summary.ok / outcome.wall_seconds;
  }
  summary.p50_ms = PercentileMs(outcome.ok_latencies_ms, 50);
  summary.p99_ms = PercentileMs(outcome.ok_latencies_ms, 99);
  return summary;
}

}  // namespace vlmc::bench
