#ifndef VLMC_BENCH_SOAK_SOAK_REPORT_H_
#define VLMC_BENCH_SOAK_SOAK_REPORT_H_

#include <optional>
#include <string>
#include <vector>

#include "bench/soak/soak_tally.h"

namespace vlmc::bench {

// One sample of the server process, taken at rest (start, end) or under
// load (periodic). Empty optionals: not measured (no pid, or gone).
struct ProcessSample {
  double elapsed_s = 0;  // since the measured load began
  std::string phase;     // "start", "load", "end"
  std::optional<long> rss_kib;
  std::optional<int> fds;
  long calls = 0;  // calls answered so far
};

struct SoakReport {
  std::string setup;  // free text: server, cases, timings
  double load_seconds = 0;
  long load_calls = 0;  // answered during the measured load
  SoakTally::Snapshot tally;
  ProcessSample start;
  ProcessSample end;
  double peak_rss_mib = 0;  // during the measured load; 0: not measured
  bool alive_at_end = false;
  std::string alive_detail;
  std::optional<int> exit_status;  // after SIGTERM, when the soak started it
  std::vector<ProcessSample> samples;
};

// The checks a soak run must pass; one line per failed check, empty when
// all passed: server alive (and exit 0 when stopped), no unexpected code,
// no mismatch, valid encodes and decodes verified, fds and RSS within the
// limits when measured.
std::vector<std::string> FailedChecks(const SoakReport& report,
                                      double max_rss_growth_pct,
                                      int max_fd_growth);

// Human-readable summary ending in "result: PASS" or "result: FAIL".
std::string FormatSummary(const SoakReport& report,
                          const std::vector<std::string>& failed_checks,
                          double max_rss_growth_pct, int max_fd_growth);

// elapsed_s,phase,rss_mib,fds,calls per sample.
std::string FormatSamplesCsv(const std::vector<ProcessSample>& samples);

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_SOAK_SOAK_REPORT_H_
