#ifndef VLMC_BENCH_SOAK_SOAK_OPTIONS_H_
#define VLMC_BENCH_SOAK_SOAK_OPTIONS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace vlmc::bench {

struct SoakOptions {
  // Either connect to `server` (loopback only; `server_pid` enables the RSS
  // and fd checks) or start `server_binary` on 127.0.0.1 port 0.
  std::string server;
  int server_pid = 0;
  std::string server_binary;
  std::vector<std::string> server_args;

  double duration_s = 300;
  double warmup_s = 15;
  double max_warmup_s = 120;
  double settle_s = 5;
  double sample_every_s = 10;
  int concurrency = 3;

  std::string image = "tests/data/kodim20.png";
  std::vector<std::pair<int, int>> sizes = {{128, 128}, {192, 128}, {256, 256}};
  std::vector<double> qualities = {0.2, 0.8};
  std::string bad_streams_dir = "tests/data/bad_streams";
  std::string model;
  int library_threads = 2;

  int cancel_max_ms = 200;
  int tiny_deadline_max_ms = 30;
  double call_timeout_s = 60;
  int reconnect_every = 50;
  unsigned seed = 1;

  double max_rss_growth_pct = 25;
  int max_fd_growth = 4;
  std::string out;  // PREFIX: writes PREFIX.txt and PREFIX_samples.csv
};

// The --help text.
extern const char kSoakUsage[];

// Parses the command line over `defaults` (which carry the build's paths).
// INVALID_ARGUMENT naming the flag on a bad value, a non-loopback --server,
// or both / neither of --server and --server-binary.
absl::StatusOr<SoakOptions> ParseSoakOptions(int argc, const char* const* argv,
                                             SoakOptions defaults);

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_SOAK_SOAK_OPTIONS_H_
