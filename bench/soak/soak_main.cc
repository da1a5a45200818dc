// vlmc-soak: a bounded mixed load against vlmc-server on loopback (issue 9):
// valid calls checked against the codec library, corrupt streams, cancelled
// calls, expired and tiny deadlines, oversized inputs; the server's RSS and
// open fds sampled at rest after warm-up and after the load.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "bench/load/rss_sampler.h"
#include "bench/soak/proc_stats.h"
#include "bench/soak/soak_cases.h"
#include "bench/soak/soak_options.h"
#include "bench/soak/soak_report.h"
#include "bench/soak/soak_runner.h"
#include "grpcpp/grpcpp.h"
#include "models/image/image_io.h"
#include "models/util/file_io.h"
#include "proto/rpc/grpc_status.h"
#include "tests/integration/server_process.h"
#include "torch/torch.h"

namespace vlmc::bench {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void Sleep(double seconds) {
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
}

absl::StatusOr<v1::GetInfoResponse> GetInfo(const std::string& target) {
  std::unique_ptr<v1::VlmCodec::Stub> stub = v1::VlmCodec::NewStub(
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  v1::GetInfoResponse info;
  const grpc::Status status = stub->GetInfo(&context, {}, &info);
  if (!status.ok()) return rpc::FromGrpcStatus(status);
  return info;
}

ProcessSample Sample(int pid, const char* phase, double elapsed_s,
                     const SoakTally& tally) {
  ProcessSample sample{elapsed_s, phase, std::nullopt, std::nullopt,
                       tally.Get().calls};
  if (pid > 0) {
    if (absl::StatusOr<long> rss = ReadRssKib(pid); rss.ok()) {
      sample.rss_kib = *rss;
    }
    if (absl::StatusOr<int> fds = CountOpenFds(pid); fds.ok()) {
      sample.fds = *fds;
    }
  }
  return sample;
}

int Fail(const std::string& what) {
  std::fprintf(stderr, "vlmc-soak: %s\n", what.c_str());
  return 1;
}

int Run(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--help") {
      std::fputs(kSoakUsage, stdout);
      return 0;
    }
  }
  SoakOptions defaults;
  defaults.server_binary = VLMC_SERVER_BINARY;
  defaults.server_args = {
      "--workers", "2", "--queue-capacity", "8", "--max-image-pixels", "262144",
      "--metrics-listen", "off",
      // Exact pixels on both sides, so every answer can be checked for
      // equality with the library's (float32 would allow +-1).
      "--synthesis", "float64"};
  defaults.model = VLMC_DEFAULT_MODEL_PATH;
  absl::StatusOr<SoakOptions> parsed = ParseSoakOptions(argc, argv, defaults);
  if (!parsed.ok()) {
    std::fprintf(stderr, "vlmc-soak: %s\n(see --help)\n",
                 std::string(parsed.status().message()).c_str());
    return 2;
  }
  const SoakOptions& options = *parsed;

  // The server: started here on a free loopback port, or given.
  std::unique_ptr<testing::ServerProcess> server;
  std::string target = options.server;
  int pid = options.server_pid;
  std::string setup;
  if (!options.server_binary.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    const std::string log = absl::StrCat(
        tmp ? tmp : "/tmp", "/vlmc-soak-server.", getpid(), ".log");
    std::vector<std::string> args = {"--listen", "127.0.0.1:0"};
    args.insert(args.end(), options.server_args.begin(),
                options.server_args.end());
    absl::StatusOr<std::unique_ptr<testing::ServerProcess>> started =
        testing::ServerProcess::Start(options.server_binary, args, log);
    if (!started.ok()) {
      return Fail(
          absl::StrCat(started.status().message(), " (stderr in ", log, ")"));
    }
    server = *std::move(started);
    target = server->address();
    pid = server->pid();
    setup = absl::StrCat("server: ", options.server_binary, " ",
                         absl::StrJoin(args, " "), "\n  on ", target, ", pid ",
                         pid, ", stderr in ", log, "\n");
  } else {
    setup =
        absl::StrCat("server: ", target,
                     pid > 0 ? absl::StrCat(", pid ", pid)
                             : std::string(" (no pid: RSS/fds not measured)"),
                     "\n");
  }
  absl::StatusOr<v1::GetInfoResponse> info = GetInfo(target);
  if (!info.ok())
    return Fail(absl::StrCat("GetInfo: ", info.status().message()));
  const ServerLimits limits{info->max_message_bytes(), info->max_image_pixels(),
                            info->max_image_dimension()};
  absl::StrAppend(&setup, "  limits: ", limits.max_message_bytes,
                  " bytes/message, ", limits.max_image_pixels, " pixels, ",
                  limits.max_image_dimension, " per side; ",
                  info->worker_threads(), " workers, queue ",
                  info->queue_capacity(), "\n");

  // The cases, and what the library makes of them.
  torch::set_num_threads(options.library_threads);
  absl::StatusOr<std::unique_ptr<codec::Codec>> codec = codec::Codec::Load(
      options.model, {"cpu", codec::SynthesisPrecision::kFloat64});
  if (!codec.ok()) return Fail(std::string(codec.status().message()));
  absl::StatusOr<std::string> png = util::ReadFile(options.image);
  if (!png.ok()) return Fail(std::string(png.status().message()));
  absl::StatusOr<image::Image> source = image::DecodeImage(*png);
  if (!source.ok()) return Fail(std::string(source.status().message()));
  absl::StatusOr<std::vector<ValidCase>> valid =
      MakeValidCases(**codec, *source, options.sizes, options.qualities);
  if (!valid.ok()) return Fail(std::string(valid.status().message()));
  for (const ValidCase& c : *valid) {
    if (static_cast<uint64_t>(c.width) * c.height > limits.max_image_pixels) {
      return Fail(absl::StrCat(c.name, " is over the server's pixel limit"));
    }
  }
  std::mt19937 rng(options.seed);
  const std::vector<RefusalCase> corrupt =
      MakeCorruptCases(**codec, *valid, 12, rng);
  const std::vector<RefusalCase> oversized = MakeOversizedCases(
      limits, *png, source->width * source->height, options.bad_streams_dir);
  if (corrupt.empty()) return Fail("no corrupt stream was made");
  std::vector<std::string> valid_names, oversized_names;
  for (const ValidCase& c : *valid) valid_names.push_back(c.name);
  for (const RefusalCase& c : oversized) oversized_names.push_back(c.name);
  absl::StrAppend(&setup, "cases: ", valid->size(), " valid (",
                  absl::StrJoin(valid_names, ", "), ") from ", options.image,
                  "\n  ", corrupt.size(),
                  " corrupt streams (truncated, bit flips), ", oversized.size(),
                  " oversized: ", absl::StrJoin(oversized_names, "; "), "\n");
  absl::StrAppendFormat(
      &setup,
      "load: concurrency %d, warm-up %.0f-%.0f s, measured %.0f s, settle "
      "%.0f s before each rest sample, new connection every %d calls per "
      "worker\n",
      options.concurrency, options.warmup_s,
      std::max(options.warmup_s, options.max_warmup_s), options.duration_s,
      options.settle_s, options.reconnect_every);
  std::fputs(setup.c_str(), stdout);
  std::fflush(stdout);

  SoakTally tally;
  SoakRunner runner(options, target, *valid, corrupt, oversized, &tally);
  std::atomic<bool> abort{false};
  const Clock::time_point warmup_start = Clock::now();
  if (options.warmup_s > 0) runner.RunFor(options.warmup_s, abort);
  // Warm-up goes on while the server's RSS still grows: the start sample
  // must see its working set, not the way there.
  constexpr double kWarmupSlice = 10;
  absl::StatusOr<long> rss =
      pid > 0 ? ReadRssKib(pid) : absl::NotFoundError("no pid");
  while (rss.ok() && SecondsSince(warmup_start) + kWarmupSlice <=
                         std::max(options.warmup_s, options.max_warmup_s)) {
    runner.RunFor(kWarmupSlice, abort);
    absl::StatusOr<long> grown = ReadRssKib(pid);
    if (!grown.ok() || *grown <= *rss * 1.02) break;
    rss = grown;
  }
  const std::string warmup =
      absl::StrFormat("warm-up took %.0f s (%ld calls)\n",
                      SecondsSince(warmup_start), tally.Get().calls);
  std::fputs(warmup.c_str(), stdout);
  Sleep(options.settle_s);

  SoakReport report;
  report.setup = setup + warmup;
  report.start = Sample(pid, "start", 0, tally);
  report.samples.push_back(report.start);
  std::unique_ptr<RssSampler> peak;
  if (pid > 0) peak = std::make_unique<RssSampler>(pid);

  // Periodic samples while the load runs; a vanished server stops the load.
  const Clock::time_point load_start = Clock::now();
  std::atomic<bool> load_done{false};
  std::thread sampler([&] {
    double next = options.sample_every_s;
    while (!load_done) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (SecondsSince(load_start) < next) continue;
      next += options.sample_every_s;
      ProcessSample sample =
          Sample(pid, "load", SecondsSince(load_start), tally);
      if (pid > 0 && !sample.rss_kib) abort = true;
      std::printf(
          "  t=%5.0f s  calls %ld  rss %s MiB  fds %s\n", sample.elapsed_s,
          sample.calls - report.start.calls,
          sample.rss_kib
              ? absl::StrFormat("%.1f", *sample.rss_kib / 1024.0).c_str()
              : "n/a",
          sample.fds ? absl::StrCat(*sample.fds).c_str() : "n/a");
      std::fflush(stdout);
      report.samples.push_back(std::move(sample));
    }
  });
  runner.RunFor(options.duration_s, abort);
  report.load_seconds = SecondsSince(load_start);
  report.load_calls = tally.Get().calls - report.start.calls;
  load_done = true;
  sampler.join();
  if (peak) report.peak_rss_mib = peak->PeakMb();
  peak.reset();

  Sleep(options.settle_s);
  report.end = Sample(pid, "end", SecondsSince(load_start), tally);
  report.samples.push_back(report.end);
  absl::StatusOr<v1::GetInfoResponse> final_info = GetInfo(target);
  report.alive_at_end = final_info.ok() && (pid <= 0 || report.end.rss_kib);
  report.alive_detail =
      final_info.ok()
          ? "GetInfo OK"
          : absl::StrCat("GetInfo: ", final_info.status().message());
  if (server) {
    absl::StatusOr<int> exit_status = server->Stop();
    report.exit_status = exit_status.ok() ? *exit_status : -1;
  }
  report.tally = tally.Get();

  const std::vector<std::string> failed =
      FailedChecks(report, options.max_rss_growth_pct, options.max_fd_growth);
  const std::string summary = FormatSummary(
      report, failed, options.max_rss_growth_pct, options.max_fd_growth);
  std::fputs(summary.substr(report.setup.size()).c_str(), stdout);
  if (!options.out.empty()) {
    for (const auto& [path, text] :
         {std::pair{options.out + ".txt", summary},
          std::pair{options.out + "_samples.csv",
                    FormatSamplesCsv(report.samples)}}) {
      if (absl::Status written = util::WriteFileAtomically(path, text);
          !written.ok()) {
        return Fail(std::string(written.message()));
      }
    }
  }
  return failed.empty() ? 0 : 1;
}

}  // namespace
}  // namespace vlmc::bench

int main(int argc, char** argv) { return vlmc::bench::Run(argc, argv); }
