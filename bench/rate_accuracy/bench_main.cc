// vlmc-bench: rate-accuracy of the learned codec and the baseline codecs on
// held-out COCO images. For every image, codec and rate point: bytes, bpp,
// PSNR, MS-SSIM, token fidelity, CenterNet and NanoDet detections and the
// encode/decode times; per point: the means and each detector's mAP against
// the labels and against its own detections on the original. Writes
// per_image.csv, summary.csv, uncompressed.csv and results.md into --out;
// bench/rate_accuracy.sh adds the plots. `vlmc-bench --help` lists the flags.

#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "bench/detect_eval/eval_report.h"
#include "bench/rate_accuracy/bench_options.h"
#include "bench/rate_accuracy/image_measures.h"
#include "bench/rate_accuracy/ladders.h"
#include "bench/rate_accuracy/parallel_for.h"
#include "bench/rate_accuracy/progress.h"
#include "bench/rate_accuracy/rate_codec.h"
#include "bench/rate_accuracy/report.h"
#include "bench/rate_accuracy/results.h"
#include "bench/rate_accuracy/source_image.h"
#include "models/metrics/detection_metrics.h"
#include "models/nn/cpu_threads.h"
#include "models/util/file_io.h"

namespace vlmc::bench {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// One (codec, point, image) to code and measure.
struct Task {
  int codec = 0;
  double point = 0;
  int image = 0;
};

// Serialises the progress lines of the workers and counts finished tasks.
class ProgressLog {
 public:
  explicit ProgressLog(int total) : total_(total), start_(Clock::now()) {}

  void Done(const std::string& what) {
    std::lock_guard<std::mutex> lock(mu_);
    ++done_;
    std::fprintf(
        stderr, "%s\n",
        ProgressLine(what, done_, total_, SecondsSince(start_)).c_str());
  }

 private:
  std::mutex mu_;
  const int total_;
  int done_ = 0;
  const Clock::time_point start_;
};

// LibTorch's thread count is per calling thread (OpenMP); set it in each
// worker before its first model call. OpenBLAS's pool is process-wide: Run
// sets it once (nn::SetCpuThreads).
void UseTorchThreads(int threads) {
  thread_local bool set = false;
  if (threads > 0 && !set) {
    torch::set_num_threads(threads);
    set = true;
  }
}

std::string CommentLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) absl::StrAppend(&out, "# ", line, "\n");
  return out;
}

// Detections of the original scored against its labels, per detector.
std::string FormatUncompressedCsv(const ReportContext& context) {
  std::string csv = "detector,map50_labels,map50_95_labels\n";
  for (size_t d = 0; d < kDetectorNames.size(); ++d) {
    absl::StrAppendFormat(&csv, "%s,%.6f,%.6f\n", kDetectorNames[d],
                          context.uncompressed_map50[d],
                          context.uncompressed_map50_95[d]);
  }
  return csv;
}

absl::Status Run(const BenchOptions& o, const std::string& command_line) {
  const Clock::time_point start = Clock::now();
  if (o.threads > 0) nn::SetCpuThreads(o.threads);
  absl::StatusOr<std::vector<std::string>> names = ReadImageList(o.list);
  if (!names.ok()) return names.status();
  const size_t listed = names->size();
  if (o.limit > 0 && static_cast<size_t>(o.limit) < names->size()) {
    names->resize(o.limit);
  }
  std::vector<SourceImage> sources;
  for (const std::string& name : *names) {
    absl::StatusOr<SourceImage> source =
        LoadSourceImage(o.images, o.labels, name);
    if (!source.ok()) return source.status();
    sources.push_back(*std::move(source));
  }
  std::vector<std::unique_ptr<RateCodec>> codecs;
  std::vector<std::string> header = {
      absl::StrCat("vlmc-bench: ", command_line),
      absl::StrFormat("%d of the %d images listed in %s (from %s), cropped to "
                      "even width and height",
                      sources.size(), listed, o.list, o.images),
      "bpp = bytes * 8 / (width * height); psnr: RGB, 8-bit peak; ms_ssim: "
      "5-scale MS-SSIM per RGB channel, averaged; token_*: stride-16 "
      "CenterNet backbone tokens of the reconstruction vs the original",
      "detections with score >= 0.05; pseudo ground truth: the detector's own "
      "detections with score >= 0.3 on the original"};
  for (const CodecLadder& c : o.codecs) {
    absl::StatusOr<std::unique_ptr<RateCodec>> codec =
        MakeRateCodec(c.codec, o.model, o.vlmc_downscale);
    if (!codec.ok()) return codec.status();
    absl::StatusOr<std::vector<std::string>> described = (*codec)->Describe();
    if (!described.ok()) return described.status();
    header.insert(header.end(), described->begin(), described->end());
    codecs.push_back(*std::move(codec));
  }
  const int workers = std::max(1, std::min<int>(o.jobs, sources.size()));
  std::vector<SemanticModels> models;
  for (int w = 0; w < workers; ++w) {
    absl::StatusOr<SemanticModels> loaded =
        SemanticModels::Load(o.detector_models);
    if (!loaded.ok()) return loaded.status();
    models.push_back(*std::move(loaded));
  }

  std::vector<Task> tasks;
  for (size_t c = 0; c < o.codecs.size(); ++c) {
    for (double point : o.codecs[c].points) {
      for (size_t i = 0; i < sources.size(); ++i) {
        tasks.push_back({static_cast<int>(c), point, static_cast<int>(i)});
      }
    }
  }
  const int n = static_cast<int>(sources.size());
  ProgressLog progress(n + static_cast<int>(tasks.size()));

  // The originals, once: the reference every reconstruction is scored on.
  std::vector<SemanticView> originals(n);
  absl::Status status =
      ParallelFor(n, workers, [&](int worker, int i) -> absl::Status {
        UseTorchThreads(o.threads);
        absl::StatusOr<SemanticView> view =
            See(models[worker], sources[i].image);
        if (!view.ok()) return view.status();
        originals[i] = *std::move(view);
        progress.Done(absl::StrFormat(
            "original image %d/%d %s: %d CenterNet, %d NanoDet detections",
            i + 1, n, sources[i].name, originals[i].centernet.size(),
            originals[i].nanodet.size()));
        return absl::OkStatus();
      });
  if (!status.ok()) return status;

  std::vector<PointRecord> records(tasks.size());
  std::map<std::pair<int, double>, std::string> commands;  // First image's.
  std::mutex commands_mu;
  status = ParallelFor(
      static_cast<int>(tasks.size()), workers,
      [&](int worker, int t) -> absl::Status {
        UseTorchThreads(o.threads);
        const Task& task = tasks[t];
        const RateCodec& codec = *codecs[task.codec];
        const SourceImage& source = sources[task.image];
        const std::string where = absl::StrCat(
            codec.name(), " ", FormatPoint(task.point), " ", source.name);
        absl::StatusOr<CodedImage> coded = codec.Code(source.image, task.point);
        if (!coded.ok()) {
          return absl::Status(
              coded.status().code(),
              absl::StrCat(where, ": ", coded.status().message()));
        }
        const SemanticView& original = originals[task.image];
        absl::StatusOr<Measures> m =
            Measure(models[worker], source.image, original, coded->decoded);
        if (!m.ok()) {
          return absl::Status(m.status().code(),
                              absl::StrCat(where, ": ", m.status().message()));
        }
        PointRecord& r = records[t];
        r.codec = codec.name();
        r.point = task.point;
        r.image = source.name;
        r.width = source.image.width;
        r.height = source.image.height;
        r.bytes = coded->bytes;
        r.bpp = coded->bytes * 8.0 / (double{1} * r.width * r.height);
        r.psnr = m->psnr;
        r.ms_ssim = m->ms_ssim;
        r.token_cosine = m->token_cosine;
        r.token_spectrum = m->token_spectrum;
        r.encode_ms = coded->encode_ms;
        r.decode_ms = coded->decode_ms;
        r.detectors[0] = {{source.labels, m->view.centernet},
                          {metrics::PseudoGroundTruth(original.centernet),
                           m->view.centernet}};
        r.detectors[1] = {
            {source.labels, m->view.nanodet},
            {metrics::PseudoGroundTruth(original.nanodet), m->view.nanodet}};
        if (task.image == 0) {
          std::lock_guard<std::mutex> lock(commands_mu);
          commands[{task.codec, task.point}] =
              absl::StrCat(r.codec, " ", FormatPoint(task.point), ": ",
                           coded->encode_command, " ; ", coded->decode_command);
        }
        progress.Done(absl::StrFormat(
            "%s %s image %d/%d %s: %.3f bpp, %.2f dB, MS-SSIM %.4f, token "
            "cos %.4f, %.0f+%.0f ms",
            r.codec, FormatPoint(r.point), task.image + 1, n, r.image, r.bpp,
            r.psnr, r.ms_ssim, r.token_cosine, r.encode_ms, r.decode_ms));
        return absl::OkStatus();
      });
  if (!status.ok()) return status;

  header.push_back(
      "commands (first image; $WORK is a fresh temporary directory per "
      "call):");
  for (const auto& [key, line] : commands) header.push_back(line);

  ReportContext context;
  context.command = command_line;
  context.image_set =
      absl::StrFormat("the first %d of the %d in %s", n, listed, o.list);
  context.images = n;
  context.jobs = workers;
  context.threads = o.threads;
  for (size_t d = 0; d < kDetectorNames.size(); ++d) {
    std::vector<metrics::ImageDetections> vs_labels;
    for (int i = 0; i < n; ++i) {
      vs_labels.push_back({sources[i].labels, d == 0 ? originals[i].centernet
                                                     : originals[i].nanodet});
    }
    const metrics::DetectionMetrics m = metrics::EvaluateDetections(vs_labels);
    context.uncompressed_map50[d] = m.map50;
    context.uncompressed_map50_95[d] = m.map50_95;
  }
  const std::vector<SummaryRow> summary = Summarize(records);
  context.wall_seconds = SecondsSince(start);

  std::error_code ec;
  std::filesystem::create_directories(o.out, ec);
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("cannot create ", o.out, ": ", ec.message()));
  }
  const std::string comments = CommentLines(header);
  const std::filesystem::path out(o.out);
  for (const auto& [file, text] :
       {std::pair{"per_image.csv", comments + FormatRecordsCsv(records)},
        std::pair{"summary.csv", comments + FormatSummaryCsv(summary)},
        std::pair{"uncompressed.csv", FormatUncompressedCsv(context)},
        std::pair{"results.md", FormatResultsMarkdown(summary, context)}}) {
    if (absl::Status s = util::WriteFileAtomically((out / file).string(), text);
        !s.ok()) {
      return s;
    }
  }
  std::fprintf(stderr,
               "vlmc-bench: wrote %s/{per_image,summary,uncompressed}"
               ".csv and results.md in %s\n",
               o.out.c_str(), FormatDuration(context.wall_seconds).c_str());
  return absl::OkStatus();
}

}  // namespace
}  // namespace vlmc::bench

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  for (const std::string& arg : args) {
    if (arg == "--help" || arg == "-h") {
      std::fputs(vlmc::bench::BenchUsage().c_str(), stdout);
      return 0;
    }
  }
  absl::StatusOr<vlmc::bench::BenchOptions> options =
      vlmc::bench::ParseBenchOptions(args);
  if (!options.ok()) {
    std::fprintf(stderr,
                 "vlmc-bench: %s\n(vlmc-bench --help lists the flags)\n",
                 std::string(options.status().message()).c_str());
    return 2;
  }
  const std::string command_line =
      absl::StrJoin(std::vector<std::string>(argv, argv + argc), " ");
  const absl::Status status = vlmc::bench::Run(*options, command_line);
  if (!status.ok()) {
    std::fprintf(stderr, "vlmc-bench: %s\n",
                 std::string(status.message()).c_str());
    return 1;
  }
  return 0;
}
