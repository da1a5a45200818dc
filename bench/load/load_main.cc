// vlmc-loadtest: throughput and latency of a running vlmc-server's Encode and
// Decode at several concurrency levels, with a bounded number of calls and a
// time cap per level. Talks to loopback addresses only. The baseline is the
// codec library called in this process on the same image, measured first in
// the same run, so the report can state server latency as a ratio to it.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "bench/cli_args.h"
#include "bench/load/latency_stats.h"
#include "bench/load/loopback.h"
#include "bench/load/rss_sampler.h"
#include "grpcpp/grpcpp.h"
#include "models/codec/codec.h"
#include "models/image/image_io.h"
#include "models/image/png_codec.h"
#include "models/util/file_io.h"
#include "proto/rpc/channel_arguments.h"
#include "proto/rpc/grpc_status.h"
#include "torch/torch.h"
#include "vlmc/v1/codec.grpc.pb.h"

namespace vlmc::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr char kUsage[] =
    R"(usage: vlmc-loadtest --server HOST:PORT [flags]
Loads a running vlmc-server (loopback addresses only) with Encode and Decode
calls at each concurrency level and prints one line per (method, level):
calls, successes, throughput, p50/p99 latency, error codes, and the server's
peak RSS when --server-pid is given.
  --server HOST:PORT        vlmc-server address (127.0.0.1, ::1 or localhost)
  --image PATH              image to send (default tests/data/kodim20.png)
  --crop N                  send the central N x N crop of it instead (smaller
                            images keep slow machines' runs short)
  --quality Q               rate parameter for Encode (default 0.5)
  --concurrency LIST        concurrent callers per level (default 1,8,64)
  --requests N              calls per level and method (default 200)
  --max-seconds S           time cap per level and method (default 60)
  --methods LIST            encode,decode (default both)
  --deadline-ms MS          per-call deadline (default 60000)
  --server-pid PID          sample this process's RSS (VmRSS) every 50 ms
  --model PATH              model file for the in-process library baseline
                            (default: the shipped default model; "none" skips it)
  --baseline-threads N      LibTorch threads for the baseline (default 2)
  --csv PATH                also write the table as CSV
)";

struct LoadConfig {
  std::string server;
  std::string image_path = "tests/data/kodim20.png";
  int crop = 0;  // 0: the whole image
  double quality = 0.5;
  std::vector<int> concurrency = {1, 8, 64};
  int requests = 200;
  double max_seconds = 60;
  std::vector<std::string> methods = {"encode", "decode"};
  int deadline_ms = 60000;
  int server_pid = 0;
  std::string model = VLMC_DEFAULT_MODEL_PATH;
  int baseline_threads = 2;
  std::string csv;
};

absl::StatusOr<LoadConfig> ParseConfig(int argc, char** argv) {
  absl::StatusOr<std::map<std::string, std::string>> flags =
      ParseFlags(argc, argv,
                 {"server", "image", "crop", "quality", "concurrency",
                  "requests", "max-seconds", "methods", "deadline-ms",
                  "server-pid", "model", "baseline-threads", "csv"});
  if (!flags.ok()) return flags.status();
  LoadConfig config;
  auto get = [&](const char* name) -> const std::string* {
    auto it = flags->find(name);
    return it == flags->end() ? nullptr : &it->second;
  };
  auto bad = [](const char* name, const std::string& value) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", name, ": bad value '", value, "'"));
  };
  if (const std::string* v = get("server")) config.server = *v;
  if (config.server.empty()) {
    return absl::InvalidArgumentError("--server HOST:PORT is required");
  }
  if (absl::Status loopback = CheckLoopbackTarget(config.server);
      !loopback.ok()) {
    return loopback;
  }
  if (const std::string* v = get("image")) config.image_path = *v;
  if (const std::string* v = get("crop")) {
    if (!absl::SimpleAtoi(*v, &config.crop) || config.crop < 1) {
      return bad("crop", *v);
    }
  }
  if (const std::string* v = get("quality")) {
    if (!absl::SimpleAtod(*v, &config.quality) || config.quality < 0 ||
        config.quality > 1) {
      return bad("quality", *v);
    }
  }
  if (const std::string* v = get("concurrency")) {
    absl::StatusOr<std::vector<int>> levels = ParseIntList(*v, "--concurrency");
    if (!levels.ok()) return levels.status();
    for (int level : *levels) {
      if (level < 1 || level > 1024) return bad("concurrency", *v);
    }
    config.concurrency = *levels;
  }
  if (const std::string* v = get("requests")) {
    if (!absl::SimpleAtoi(*v, &config.requests) || config.requests < 1 ||
        config.requests > 1000000) {
      return bad("requests", *v);
    }
  }
  if (const std::string* v = get("max-seconds")) {
    if (!absl::SimpleAtod(*v, &config.max_seconds) || config.max_seconds <= 0 ||
        config.max_seconds > 3600) {
      return bad("max-seconds", *v);
    }
  }
  if (const std::string* v = get("methods")) {
    config.methods = absl::StrSplit(*v, ',', absl::SkipEmpty());
    for (const std::string& method : config.methods) {
      if (method != "encode" && method != "decode") return bad("methods", *v);
    }
    if (config.methods.empty()) return bad("methods", *v);
  }
  if (const std::string* v = get("deadline-ms")) {
    if (!absl::SimpleAtoi(*v, &config.deadline_ms) || config.deadline_ms < 1) {
      return bad("deadline-ms", *v);
    }
  }
  if (const std::string* v = get("server-pid")) {
    if (!absl::SimpleAtoi(*v, &config.server_pid) || config.server_pid < 1) {
      return bad("server-pid", *v);
    }
  }
  if (const std::string* v = get("model")) config.model = *v;
  if (const std::string* v = get("baseline-threads")) {
    if (!absl::SimpleAtoi(*v, &config.baseline_threads) ||
        config.baseline_threads < 1) {
      return bad("baseline-threads", *v);
    }
  }
  if (const std::string* v = get("csv")) config.csv = *v;
  return config;
}

// The central size x size pixels of `image`.
absl::StatusOr<image::Image> CenterCrop(const image::Image& image, int size) {
  if (size > image.width || size > image.height) {
    return absl::InvalidArgumentError(
        absl::StrCat("--crop ", size, " is larger than the ", image.width, "x",
                     image.height, " image"));
  }
  image::Image crop;
  crop.width = crop.height = size;
  const int x0 = (image.width - size) / 2, y0 = (image.height - size) / 2;
  for (int y = 0; y < size; ++y) {
    const uint8_t* row =
        image.rgb.data() + (static_cast<size_t>(y0 + y) * image.width + x0) * 3;
    crop.rgb.insert(crop.rgb.end(), row, row + size * 3);
  }
  return crop;
}

// Median over a few runs of the library's own Compress and Decompress on the
// image: what the server adds is measured against this.
struct LibraryBaseline {
  double encode_ms = 0;
  double decode_ms = 0;
};

absl::StatusOr<LibraryBaseline> MeasureLibraryBaseline(
    const LoadConfig& config, const image::Image& image) {
  torch::set_num_threads(config.baseline_threads);
  absl::StatusOr<std::unique_ptr<codec::Codec>> codec =
      codec::Codec::Load(config.model);
  if (!codec.ok()) return codec.status();
  std::vector<double> encode_ms, decode_ms;
  for (int run = 0; run < 5; ++run) {
    const Clock::time_point start = Clock::now();
    absl::StatusOr<std::string> stream =
        (*codec)->Compress(image, config.quality);
    if (!stream.ok()) return stream.status();
    const Clock::time_point middle = Clock::now();
    absl::StatusOr<image::Image> decoded = (*codec)->Decompress(*stream);
    if (!decoded.ok()) return decoded.status();
    encode_ms.push_back(
        std::chrono::duration<double, std::milli>(middle - start).count());
    decode_ms.push_back(
        std::chrono::duration<double, std::milli>(Clock::now() - middle)
            .count());
  }
  return LibraryBaseline{PercentileMs(encode_ms, 50),
                         PercentileMs(decode_ms, 50)};
}

// Runs up to config.requests calls of `call` from `concurrency` threads, each
// thread taking the next call number until the count or the time cap is hit.
LevelOutcome RunLevel(
    const LoadConfig& config, int concurrency,
    const std::function<grpc::Status(grpc::ClientContext&)>& call) {
  std::atomic<int> issued{0};
  std::mutex mu;
  LevelOutcome outcome;
  const Clock::time_point start = Clock::now();
  const Clock::time_point stop_at =
      start + std::chrono::duration_cast<Clock::duration>(
                  std::chrono::duration<double>(config.max_seconds));
  std::vector<std::thread> callers;
  for (int t = 0; t < concurrency; ++t) {
    callers.emplace_back([&] {
      while (issued.fetch_add(1) < config.requests && Clock::now() < stop_at) {
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() +
                             std::chrono::milliseconds(config.deadline_ms));
        const Clock::time_point call_start = Clock::now();
        const grpc::Status status = call(context);
        const double ms =
            std::chrono::duration<double, std::milli>(Clock::now() - call_start)
                .count();
        std::lock_guard<std::mutex> lock(mu);
        if (status.ok()) {
          outcome.ok_latencies_ms.push_back(ms);
        } else {
          ++outcome.errors[rpc::GrpcCodeName(status.error_code())];
        }
      }
    });
  }
  for (std::thread& caller : callers) caller.join();
  outcome.wall_seconds =
      std::chrono::duration<double>(Clock::now() - start).count();
  return outcome;
}

int Run(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
  }
  absl::StatusOr<LoadConfig> config = ParseConfig(argc, argv);
  if (!config.ok()) {
    std::fprintf(stderr, "vlmc-loadtest: %s\n(see --help)\n",
                 std::string(config.status().message()).c_str());
    return 2;
  }
  absl::StatusOr<std::string> image_bytes = util::ReadFile(config->image_path);
  if (!image_bytes.ok()) {
    std::fprintf(stderr, "vlmc-loadtest: %s\n",
                 std::string(image_bytes.status().message()).c_str());
    return 1;
  }
  absl::StatusOr<image::Image> image = image::DecodeImage(*image_bytes);
  if (image.ok() && config->crop > 0) {
    image = CenterCrop(*image, config->crop);
    if (image.ok()) image_bytes = image::EncodePng(*image);
    if (!image_bytes.ok()) image = image_bytes.status();
  }
  if (!image.ok()) {
    std::fprintf(stderr, "vlmc-loadtest: %s: %s\n", config->image_path.c_str(),
                 std::string(image.status().message()).c_str());
    return 1;
  }

  LibraryBaseline baseline;
  if (config->model != "none") {
    absl::StatusOr<LibraryBaseline> measured =
        MeasureLibraryBaseline(*config, *image);
    if (!measured.ok()) {
      std::fprintf(stderr, "vlmc-loadtest: baseline: %s\n",
                   std::string(measured.status().message()).c_str());
      return 1;
    }
    baseline = *measured;
    std::printf(
        "library baseline (%d threads, in process): encode %.1f ms, "
        "decode %.1f ms\n",
        config->baseline_threads, baseline.encode_ms, baseline.decode_ms);
  }

  grpc::ChannelArguments args = rpc::ClientChannelArguments(64 << 20);
  args.SetMaxSendMessageSize(64 << 20);
  std::shared_ptr<grpc::Channel> channel = grpc::CreateCustomChannel(
      config->server, grpc::InsecureChannelCredentials(), args);
  std::unique_ptr<v1::VlmCodec::Stub> stub = v1::VlmCodec::NewStub(channel);

  v1::EncodeRequest encode_request;
  encode_request.mutable_image()->set_encoded(*image_bytes);
  encode_request.mutable_rate()->set_quality(config->quality);
  v1::DecodeRequest decode_request;
  decode_request.set_format(v1::OUTPUT_FORMAT_PNG);
  {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::milliseconds(config->deadline_ms));
    v1::EncodeResponse response;
    grpc::Status status = stub->Encode(&context, encode_request, &response);
    if (!status.ok()) {
      std::fprintf(stderr, "vlmc-loadtest: first Encode failed: %s: %s\n",
                   rpc::GrpcCodeName(status.error_code()).c_str(),
                   status.error_message().c_str());
      return 1;
    }
    decode_request.set_stream(response.stream());
    std::printf("image %s: %dx%d, stream %zu bytes (%.3f bpp)\n",
                config->image_path.c_str(), image->width, image->height,
                response.stream().size(), response.stats().bpp());
  }

  std::unique_ptr<RssSampler> rss;
  if (config->server_pid > 0) {
    rss = std::make_unique<RssSampler>(config->server_pid);
  }
  std::string csv =
      "method,concurrency,requests,ok,throughput_rps,p50_ms,p99_ms,"
      "p50_vs_library,errors,server_peak_rss_mb\n";
  bool only_expected_errors = true;
  std::printf("%-7s %5s %8s %6s %10s %9s %9s %9s %10s  %s\n", "method", "conc",
              "calls", "ok", "calls/s", "p50 ms", "p99 ms", "p50/lib", "rss MB",
              "errors");
  for (const std::string& method : config->methods) {
    const bool encode = method == "encode";
    const double library_ms = encode ? baseline.encode_ms : baseline.decode_ms;
    for (int concurrency : config->concurrency) {
      if (rss) rss->ResetPeak();
      const LevelOutcome outcome =
          RunLevel(*config, concurrency, [&](grpc::ClientContext& context) {
            if (encode) {
              v1::EncodeResponse response;
              return stub->Encode(&context, encode_request, &response);
            }
            v1::DecodeResponse response;
            return stub->Decode(&context, decode_request, &response);
          });
      const LevelSummary summary = Summarize(outcome);
      only_expected_errors &= summary.only_expected_errors;
      const double peak_rss_mb = rss ? rss->PeakMb() : 0.0;
      const double ratio = library_ms > 0 ? summary.p50_ms / library_ms : 0.0;
      std::printf("%-7s %5d %8d %6d %10.2f %9.1f %9.1f %9.2f %10.1f  %s\n",
                  method.c_str(), concurrency, summary.requests, summary.ok,
                  summary.throughput_rps, summary.p50_ms, summary.p99_ms, ratio,
                  peak_rss_mb,
                  summary.errors.empty() ? "-" : summary.errors.c_str());
      std::fflush(stdout);
      absl::StrAppendFormat(&csv, "%s,%d,%d,%d,%.3f,%.2f,%.2f,%.3f,%s,%.1f\n",
                            method, concurrency, summary.requests, summary.ok,
                            summary.throughput_rps, summary.p50_ms,
                            summary.p99_ms, ratio, summary.errors, peak_rss_mb);
    }
  }
  if (!config->csv.empty()) {
    absl::Status written = util::WriteFileAtomically(config->csv, csv);
    if (!written.ok()) {
      std::fprintf(stderr, "vlmc-loadtest: %s\n",
                   std::string(written.message()).c_str());
      return 1;
    }
  }
  if (!only_expected_errors) {
    std::fprintf(stderr,
                 "vlmc-loadtest: errors other than RESOURCE_EXHAUSTED seen\n");
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace vlmc::bench

int main(int argc, char** argv) { return vlmc::bench::Run(argc, argv); }
