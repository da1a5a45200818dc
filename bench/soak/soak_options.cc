#include "bench/soak/soak_options.h"

#include <cmath>
#include <map>
#include <type_traits>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bench/cli_args.h"
#include "bench/load/loopback.h"

namespace vlmc::bench {

const char kSoakUsage[] =
    R"(usage: vlmc-soak [flags]
Runs a mixed load against vlmc-server on loopback for a bounded time: valid
Encode/Decode (answers compared with the codec library in this process),
corrupt streams, cancelled calls, expired and tiny deadlines, oversized
inputs. Samples the server's RSS and open fds after warm-up and after the
load, and exits 1 if the server died, any answer differed from the
library's, any status code was unexpected for its kind, fds grew, or RSS
grew past the threshold; 2 on a bad invocation.
  --server-binary PATH     start this vlmc-server on 127.0.0.1:0
                           (default: the one this build made)
  --server-args "ARGS"     its flags, space-separated (default: --workers 2
                           --queue-capacity 8 --max-image-pixels 262144
                           --metrics-listen off --synthesis float64)
  --server HOST:PORT       instead, use a running server (loopback only;
                           start it with --synthesis float64: the library
                           side decodes in float64 and answers must match)
  --server-pid PID         its pid, for the RSS and fd checks
  --duration S             measured load time (default 300)
  --warmup S               load before the start sample (default 15), then
                           10 s more at a time while the server's RSS still
                           grows by over 2%, up to --max-warmup
  --max-warmup S           (default 120; never less than --warmup)
  --settle S               idle time before each sample (default 5)
  --sample-every S         RSS/fd sample period during the load (default 10)
  --concurrency N          client threads (default 3)
  --image PATH             source of the crops (default tests/data/kodim20.png)
  --sizes LIST             crop sizes (default 128x128,192x128,256x256)
  --qualities LIST         (default 0.2,0.8)
  --bad-streams DIR        streams declaring oversized images
                           (default tests/data/bad_streams)
  --model PATH             library model; must be the server's default
  --library-threads N      LibTorch threads for the in-process codec (default 2)
  --cancel-max-ms MS       cancel after 0..MS (default 200)
  --tiny-deadline-max-ms MS  tiny deadlines of 1..MS (default 30)
  --call-timeout S         deadline of the other calls (default 60)
  --reconnect-every N      new channel (connection) per worker every N calls
                           (default 50)
  --max-rss-growth-pct P   fail if end RSS > start RSS * (1 + P/100) (default 25)
  --max-fd-growth N        fail if end fds > start fds + N (default 4)
  --seed N                 (default 1)
  --out PREFIX             also write PREFIX.txt and PREFIX_samples.csv
)";

namespace {

absl::Status Bad(const std::string& name, const std::string& value) {
  return absl::InvalidArgumentError(
      absl::StrCat("--", name, ": bad value '", value, "'"));
}

absl::StatusOr<std::vector<std::pair<int, int>>> ParseSizes(
    const std::string& text) {
  std::vector<std::pair<int, int>> sizes;
  for (absl::string_view item : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    std::vector<absl::string_view> wh = absl::StrSplit(item, 'x');
    int w = 0, h = 0;
    if (wh.size() != 2 || !absl::SimpleAtoi(wh[0], &w) ||
        !absl::SimpleAtoi(wh[1], &h) || w < 16 || h < 16 || w > 4096 ||
        h > 4096) {
      return Bad("sizes", text);
    }
    sizes.emplace_back(w, h);
  }
  if (sizes.empty()) return Bad("sizes", text);
  return sizes;
}

}  // namespace

absl::StatusOr<SoakOptions> ParseSoakOptions(int argc, const char* const* argv,
                                             SoakOptions options) {
  absl::StatusOr<std::map<std::string, std::string>> flags =
      ParseFlags(argc, argv,
                 {"server-binary",
                  "server-args",
                  "server",
                  "server-pid",
                  "duration",
                  "warmup",
                  "max-warmup",
                  "settle",
                  "sample-every",
                  "concurrency",
                  "image",
                  "sizes",
                  "qualities",
                  "bad-streams",
                  "model",
                  "library-threads",
                  "cancel-max-ms",
                  "tiny-deadline-max-ms",
                  "call-timeout",
                  "reconnect-every",
                  "max-rss-growth-pct",
                  "max-fd-growth",
                  "seed",
                  "out"});
  if (!flags.ok()) return flags.status();
  absl::Status status;
  auto text = [&](const char* name, std::string* out) {
    if (auto it = flags->find(name); it != flags->end()) *out = it->second;
  };
  auto number = [&](const char* name, auto* out, double lo, double hi) {
    auto it = flags->find(name);
    if (it == flags->end() || !status.ok()) return;
    double value = 0;
    using T = std::remove_pointer_t<decltype(out)>;
    if (!absl::SimpleAtod(it->second, &value) || value < lo || value > hi ||
        (std::is_integral_v<T> && value != std::floor(value))) {
      status = Bad(name, it->second);
      return;
    }
    *out = static_cast<T>(value);
  };
  text("server-binary", &options.server_binary);
  if (auto it = flags->find("server-args"); it != flags->end()) {
    options.server_args =
        absl::StrSplit(it->second, ' ', absl::SkipWhitespace());
  }
  text("server", &options.server);
  number("server-pid", &options.server_pid, 1, 1 << 30);
  number("duration", &options.duration_s, 1, 24 * 3600);
  number("warmup", &options.warmup_s, 0, 3600);
  number("max-warmup", &options.max_warmup_s, 0, 3600);
  number("settle", &options.settle_s, 0, 600);
  number("sample-every", &options.sample_every_s, 0.5, 3600);
  number("concurrency", &options.concurrency, 1, 256);
  text("image", &options.image);
  text("bad-streams", &options.bad_streams_dir);
  text("model", &options.model);
  number("library-threads", &options.library_threads, 1, 256);
  number("cancel-max-ms", &options.cancel_max_ms, 0, 60000);
  number("tiny-deadline-max-ms", &options.tiny_deadline_max_ms, 1, 60000);
  number("call-timeout", &options.call_timeout_s, 1, 3600);
  number("reconnect-every", &options.reconnect_every, 1, 1e9);
  number("max-rss-growth-pct", &options.max_rss_growth_pct, 0, 1e6);
  number("max-fd-growth", &options.max_fd_growth, 0, 1e6);
  number("seed", &options.seed, 0, 4e9);
  text("out", &options.out);
  if (!status.ok()) return status;
  if (auto it = flags->find("sizes"); it != flags->end()) {
    absl::StatusOr<std::vector<std::pair<int, int>>> sizes =
        ParseSizes(it->second);
    if (!sizes.ok()) return sizes.status();
    options.sizes = *sizes;
  }
  if (auto it = flags->find("qualities"); it != flags->end()) {
    options.qualities.clear();
    for (absl::string_view q : absl::StrSplit(it->second, ',')) {
      double quality = 0;
      if (!absl::SimpleAtod(q, &quality) || quality < 0 || quality > 1) {
        return Bad("qualities", it->second);
      }
      options.qualities.push_back(quality);
    }
  }
  if (!options.server.empty()) {
    if (flags->count("server-binary") || flags->count("server-args")) {
      return absl::InvalidArgumentError(
          "--server and --server-binary/--server-args exclude each other");
    }
    options.server_binary.clear();
    if (absl::Status loopback = CheckLoopbackTarget(options.server);
        !loopback.ok()) {
      return loopback;
    }
  } else if (options.server_binary.empty()) {
    return absl::InvalidArgumentError("--server or --server-binary is needed");
  } else if (flags->count("server-pid")) {
    return absl::InvalidArgumentError("--server-pid goes with --server");
  }
  return options;
}

}  // namespace vlmc::bench
