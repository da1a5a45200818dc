// vlmc-device-bench: encode and decode latency of the codec library on one
// device (CPU or CUDA), the decode's stage breakdown, the throughput of
// batched synthesis, and whether the device's streams and pixels agree with
// the CPU's. Times exclude process start and model loading.
//
// Usage: vlmc-device-bench [--device cuda] [--iterations N] [flags]
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/device/bench_images.h"
#include "bench/device/device_bench_options.h"
#include "bench/device/timing_summary.h"
#include "models/codec/codec.h"
#include "models/image/image_io.h"
#include "models/image/metrics.h"
#include "models/nn/cpu_threads.h"
#include "models/util/cli_flags.h"

namespace vlmc::bench {
namespace {

struct BenchImage {
  std::string name;
  image::Image pixels;
  std::vector<int> batch_sizes;  // of the Synthesize throughput
};

struct BatchThroughput {
  int batch_size = 0;
  double median_ms = 0;  // one Synthesize of the whole batch
  double images_per_s = 0;
  // One DecodeLatentsBatch of batch_size copies of the stream (the server's
  // entropy stage), and batch_size DecodeLatents calls one after another.
  double entropy_batch_ms = 0, entropy_serial_ms = 0;
};

// The y segment's rANS decode (DecodeLatents minus its hyper-synthesis) of
// the same image coded with `count` substreams.
struct SubstreamDecode {
  int count = 1;
  size_t stream_bytes = 0;
  double rans_ms = 0;
};

struct Measurement {
  std::string image;
  int width = 0, height = 0;
  double quality = 0;
  size_t stream_bytes = 0;
  TimingSummary encode, decode;
  // Medians of the decode's stages (hyper_synthesis_ms is part of
  // entropy_ms).
  double entropy_ms = 0, hyper_synthesis_ms = 0, synthesis_ms = 0,
         transfer_ms = 0;
  // The device's stream equals the CPU encoder's; the device's decode of it
  // equals the CPU decoder's.
  bool same_stream_as_cpu = false, same_pixels_as_cpu = false;
  // The device's stream decoded by the CPU codec: the latents must be equal
  // (integer entropy path); the pixels may differ by the synthesis' rounding.
  bool same_latents_as_cpu = false;
  int pixel_max_diff_cpu = 0;
  std::vector<BatchThroughput> batches;
  std::vector<SubstreamDecode> substreams;
};

double MsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now() - start)
      .count();
}

// Runs `run` warmup + iterations times; the wall times of the last
// `iterations` runs, or the first error.
template <typename Run>
absl::StatusOr<std::vector<double>> TimeRuns(const DeviceBenchOptions& options,
                                             Run run) {
  std::vector<double> times;
  for (int i = 0; i < options.warmup + options.iterations; ++i) {
    const auto start = std::chrono::steady_clock::now();
    if (absl::Status status = run(); !status.ok()) return status;
    if (i >= options.warmup) times.push_back(MsSince(start));
  }
  return times;
}

double Median(std::vector<double> values) {
  return SummarizeTimings(std::move(values)).median_ms;
}

absl::StatusOr<Measurement> Measure(const DeviceBenchOptions& options,
                                    const codec::Codec& codec,
                                    const codec::Codec& cpu_codec,
                                    const BenchImage& image, double quality) {
  Measurement m;
  m.image = image.name;
  m.width = image.pixels.width;
  m.height = image.pixels.height;
  m.quality = quality;
  std::string stream;
  absl::StatusOr<std::vector<double>> encode_ms =
      TimeRuns(options, [&]() -> absl::Status {
        absl::StatusOr<std::string> s = codec.Compress(image.pixels, quality);
        if (!s.ok()) return s.status();
        stream = *std::move(s);
        return absl::OkStatus();
      });
  if (!encode_ms.ok()) return encode_ms.status();
  m.encode = SummarizeTimings(*encode_ms);
  m.stream_bytes = stream.size();

  std::vector<double> entropy, hyper_synthesis, synthesis, transfer;
  image::Image decoded;
  absl::StatusOr<std::vector<double>> decode_ms =
      TimeRuns(options, [&]() -> absl::Status {
        codec::DecodeTimings timings;
        absl::StatusOr<image::Image> out = codec.Decompress(stream, &timings);
        if (!out.ok()) return out.status();
        decoded = *std::move(out);
        entropy.push_back(timings.entropy_ms);
        hyper_synthesis.push_back(timings.hyper_synthesis_ms);
        synthesis.push_back(timings.synthesis_ms);
        transfer.push_back(timings.transfer_ms);
        return absl::OkStatus();
      });
  if (!decode_ms.ok()) return decode_ms.status();
  // The stage times of the timed runs only (the warm-up ones come first).
  const auto timed = [&](std::vector<double>& v) {
    return std::vector<double>(v.end() - options.iterations, v.end());
  };
  m.decode = SummarizeTimings(*decode_ms);
  m.entropy_ms = Median(timed(entropy));
  m.hyper_synthesis_ms = Median(timed(hyper_synthesis));
  m.synthesis_ms = Median(timed(synthesis));
  m.transfer_ms = Median(timed(transfer));

  absl::StatusOr<std::string> cpu_stream =
      cpu_codec.Compress(image.pixels, quality);
  if (!cpu_stream.ok()) return cpu_stream.status();
  m.same_stream_as_cpu = *cpu_stream == stream;
  // The device's stream decoded on the CPU, in the two stages of Decompress
  // so that its latents can be compared with the device's.
  absl::StatusOr<codec::DecodedLatents> latents = codec.DecodeLatents(stream);
  if (!latents.ok()) return latents.status();
  absl::StatusOr<codec::DecodedLatents> cpu_latents =
      cpu_codec.DecodeLatents(stream);
  if (!cpu_latents.ok()) return cpu_latents.status();
  m.same_latents_as_cpu =
      torch::equal(latents->y_hat.cpu(), cpu_latents->y_hat.cpu());
  absl::StatusOr<std::vector<image::Image>> cpu_decoded =
      cpu_codec.Synthesize(absl::MakeConstSpan(&*cpu_latents, 1));
  if (!cpu_decoded.ok()) return cpu_decoded.status();
  m.same_pixels_as_cpu = PixelHash(cpu_decoded->front()) == PixelHash(decoded);
  absl::StatusOr<image::ValueDifference> difference =
      image::CompareValues(cpu_decoded->front(), decoded);
  if (!difference.ok()) return difference.status();
  m.pixel_max_diff_cpu = difference->max_abs;

  for (int batch_size : image.batch_sizes) {
    const std::vector<codec::DecodedLatents> batch(batch_size, *latents);
    absl::StatusOr<std::vector<double>> batch_ms =
        TimeRuns(options, [&]() { return codec.Synthesize(batch).status(); });
    if (!batch_ms.ok()) return batch_ms.status();
    BatchThroughput throughput;
    throughput.batch_size = batch_size;
    throughput.median_ms = Median(*batch_ms);
    throughput.images_per_s = batch_size * 1000.0 / throughput.median_ms;
    const std::vector<absl::string_view> streams(batch_size, stream);
    absl::StatusOr<std::vector<double>> parallel_ms =
        TimeRuns(options, [&]() -> absl::Status {
          for (const auto& result : codec.DecodeLatentsBatch(streams))
            if (!result.ok()) return result.status();
          return absl::OkStatus();
        });
    if (!parallel_ms.ok()) return parallel_ms.status();
    absl::StatusOr<std::vector<double>> serial_ms =
        TimeRuns(options, [&]() -> absl::Status {
          for (absl::string_view s : streams)
            if (absl::Status st = codec.DecodeLatents(s).status(); !st.ok())
              return st;
          return absl::OkStatus();
        });
    if (!serial_ms.ok()) return serial_ms.status();
    throughput.entropy_batch_ms = Median(*parallel_ms);
    throughput.entropy_serial_ms = Median(*serial_ms);
    m.batches.push_back(throughput);
  }

  for (int count : options.substream_counts) {
    codec::EncodeOptions encode_options;
    encode_options.y_substreams = count;
    absl::StatusOr<std::string> split =
        codec.Compress(image.pixels, quality, encode_options);
    if (!split.ok()) return split.status();
    std::vector<double> rans;
    absl::StatusOr<std::vector<double>> runs =
        TimeRuns(options, [&]() -> absl::Status {
          codec::DecodeTimings timings;
          const auto start = std::chrono::steady_clock::now();
          absl::StatusOr<codec::DecodedLatents> decoded =
              codec.DecodeLatents(*split, &timings);
          if (!decoded.ok()) return decoded.status();
          rans.push_back(MsSince(start) - timings.hyper_synthesis_ms);
          return absl::OkStatus();
        });
    if (!runs.ok()) return runs.status();
    m.substreams.push_back({count, split->size(), Median(timed(rans))});
  }
  return m;
}

absl::StatusOr<std::vector<BenchImage>> LoadImages(
    const DeviceBenchOptions& options, std::string* note) {
  absl::StatusOr<image::Image> base = image::ReadImageFile(options.image);
  if (!base.ok()) return base.status();
  const std::string name = std::filesystem::path(options.image).stem();
  std::vector<BenchImage> images;
  if (options.image_size.width > 0) {
    images.push_back(
        {name + " tiled",
         MirrorTile(*base, options.image_size.width, options.image_size.height),
         options.batch_sizes});
  } else {
    images.push_back({name, *base, options.batch_sizes});
  }
  if (options.large_image.empty()) {
    images.push_back(
        {name + " tiled",
         MirrorTile(*base, options.large_size.width, options.large_size.height),
         options.large_batch_sizes});
    *note = absl::StrFormat(
        "large image: %s mirror-tiled to %dx%d in memory (not a natural "
        "photo of that size)",
        options.image, options.large_size.width, options.large_size.height);
  } else {
    absl::StatusOr<image::Image> large =
        image::ReadImageFile(options.large_image);
    if (!large.ok()) return large.status();
    images.push_back({std::filesystem::path(options.large_image).stem(),
                      *std::move(large), options.large_batch_sizes});
    *note = absl::StrCat("large image: ", options.large_image);
  }
  return images;
}

void PrintTables(const std::vector<Measurement>& results) {
  std::printf(
      "\n%-16s %9s %4s %8s | %9s %9s | %9s %9s | %8s %8s %8s %8s | %6s "
      "%7s %6s\n",
      "image", "size", "q", "bytes", "enc med", "enc p90", "dec med", "dec p90",
      "entropy", "(hyper)", "synth", "transfer", "stream", "latents", "pixels");
  std::printf(
      "%-16s %9s %4s %8s | %9s %9s | %9s %9s | %8s %8s %8s %8s | %6s %7s "
      "%6s\n",
      "", "", "", "", "ms", "ms", "ms", "ms", "ms", "ms", "ms", "ms", "=cpu",
      "=cpu", "-cpu");
  for (const Measurement& m : results) {
    std::printf(
        "%-16s %9s %4.2f %8zu | %9.1f %9.1f | %9.1f %9.1f | %8.1f %8.1f "
        "%8.1f %8.2f | %6s %7s %6s\n",
        m.image.c_str(), absl::StrFormat("%dx%d", m.width, m.height).c_str(),
        m.quality, m.stream_bytes, m.encode.median_ms, m.encode.p90_ms,
        m.decode.median_ms, m.decode.p90_ms, m.entropy_ms, m.hyper_synthesis_ms,
        m.synthesis_ms, m.transfer_ms, m.same_stream_as_cpu ? "yes" : "NO",
        m.same_latents_as_cpu ? "yes" : "NO",
        absl::StrFormat("+-%d", m.pixel_max_diff_cpu).c_str());
  }
  std::printf(
      "\nbatched synthesis (Synthesize on identical-shape latents) and "
      "entropy stage (DecodeLatentsBatch, streams on parallel threads, vs "
      "DecodeLatents one after another, same run)\n");
  std::printf("%-16s %9s %4s %6s | %12s %10s | %12s %12s %8s\n", "image",
              "size", "q", "batch", "ms/batch", "images/s", "entropy ms",
              "serial ms", "speed-up");
  for (const Measurement& m : results) {
    for (const BatchThroughput& b : m.batches) {
      std::printf(
          "%-16s %9s %4.2f %6d | %12.1f %10.2f | %12.1f %12.1f %7.2fx\n",
          m.image.c_str(), absl::StrFormat("%dx%d", m.width, m.height).c_str(),
          m.quality, b.batch_size, b.median_ms, b.images_per_s,
          b.entropy_batch_ms, b.entropy_serial_ms,
          b.entropy_serial_ms / b.entropy_batch_ms);
    }
  }
  std::printf(
      "\nparallel y decoding (format 4): rANS = DecodeLatents minus its "
      "hyper-synthesis; speed-up against 1 substream in this run\n");
  std::printf("%-16s %9s %4s %10s | %8s %9s %8s\n", "image", "size", "q",
              "substreams", "bytes", "rANS ms", "speed-up");
  for (const Measurement& m : results) {
    double single = 0;
    for (const SubstreamDecode& d : m.substreams)
      if (d.count == 1) single = d.rans_ms;
    for (const SubstreamDecode& d : m.substreams) {
      std::printf("%-16s %9s %4.2f %10d | %8zu %9.2f %7.2fx\n", m.image.c_str(),
                  absl::StrFormat("%dx%d", m.width, m.height).c_str(),
                  m.quality, d.count, d.stream_bytes, d.rans_ms,
                  single / d.rans_ms);
    }
  }
}

// One row per image, quality and batch size; the latency columns repeat on
// the rows of one image and quality.
std::string Csv(const DeviceBenchOptions& options,
                const std::vector<Measurement>& results) {
  std::string csv =
      "device,synthesis,threads,image,width,height,quality,stream_bytes,"
      "encode_median_ms,encode_p90_ms,decode_median_ms,decode_p90_ms,"
      "entropy_ms,hyper_synthesis_ms,synthesis_ms,transfer_ms,"
      "stream_equals_cpu,"
      "pixels_equal_cpu,latents_equal_cpu,pixel_max_diff_cpu,batch_size,batch_"
      "median_ms,batch_images_per_s,"
      "entropy_batch_ms,entropy_serial_ms\n";
  for (const Measurement& m : results) {
    const std::string common = absl::StrFormat(
        "%s,%s,%d,%s,%d,%d,%.3f,%d,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.3f,%d,"
        "%d,%d,%d",
        options.device, codec::SynthesisPrecisionName(options.synthesis),
        torch::get_num_threads(), m.image, m.width, m.height, m.quality,
        m.stream_bytes, m.encode.median_ms, m.encode.p90_ms, m.decode.median_ms,
        m.decode.p90_ms, m.entropy_ms, m.hyper_synthesis_ms, m.synthesis_ms,
        m.transfer_ms, m.same_stream_as_cpu, m.same_pixels_as_cpu,
        m.same_latents_as_cpu, m.pixel_max_diff_cpu);
    for (const BatchThroughput& b : m.batches) {
      absl::StrAppendFormat(&csv, "%s,%d,%.2f,%.3f,%.2f,%.2f\n", common,
                            b.batch_size, b.median_ms, b.images_per_s,
                            b.entropy_batch_ms, b.entropy_serial_ms);
    }
  }
  return csv;
}

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "vlmc-device-bench: %s\n", status.ToString().c_str());
  return 2;
}

int Run(int argc, char** argv) {
  const std::vector<cli::Flags::Spec> specs = DeviceBenchFlagSpecs();
  absl::StatusOr<cli::Flags> flags =
      cli::Flags::Parse({argv + 1, argv + argc}, specs);
  if (!flags.ok()) return Fail(flags.status());
  if (flags->GetBool("help") || !flags->positional().empty()) {
    std::printf(
        "usage: vlmc-device-bench [flags]\nEncode/decode latency, decode "
        "stage breakdown and batched synthesis throughput on one device.\n%s",
        cli::Flags::Usage(specs).c_str());
    return flags->GetBool("help") ? 0 : 2;
  }
  absl::StatusOr<DeviceBenchOptions> options = ParseDeviceBenchOptions(*flags);
  if (!options.ok()) return Fail(options.status());
  if (options->threads > 0) nn::SetCpuThreads(options->threads);

  absl::StatusOr<std::unique_ptr<codec::Codec>> codec =
      codec::Codec::Load(options->model, {options->device, options->synthesis});
  if (!codec.ok()) return Fail(codec.status());
  std::unique_ptr<codec::Codec> cpu_codec;
  if (!(*codec)->device().is_cpu()) {
    absl::StatusOr<std::unique_ptr<codec::Codec>> loaded =
        codec::Codec::Load(options->model);
    if (!loaded.ok()) return Fail(loaded.status());
    cpu_codec = *std::move(loaded);
  }
  std::string note;
  absl::StatusOr<std::vector<BenchImage>> images = LoadImages(*options, &note);
  if (!images.ok()) return Fail(images.status());

  std::printf("model: %s\n", options->model.c_str());
  std::printf("device: %s (%s synthesis), LibTorch CPU threads: %d\n",
              (*codec)->device().str().c_str(),
              codec::SynthesisPrecisionName(options->synthesis).c_str(),
              torch::get_num_threads());
  std::printf("iterations: %d after %d warm-up (medians and p90 over them)\n",
              options->iterations, options->warmup);
  std::printf("image: %s\n%s\n", options->image.c_str(), note.c_str());
  std::printf(
      "decode breakdown: entropy = parse + rANS (CPU) + integer "
      "hyper-synthesis; (hyper) = the hyper-synthesis part of entropy (on the "
      "device, with its copies); synth = synthesis network + pixel rounding; "
      "transfer = the synthesis' host <-> device copies\n");
  std::fflush(stdout);

  std::vector<Measurement> results;
  for (const BenchImage& image : *images) {
    for (double quality : options->qualities) {
      absl::StatusOr<Measurement> m = Measure(
          *options, **codec, cpu_codec ? *cpu_codec : **codec, image, quality);
      if (!m.ok()) return Fail(m.status());
      results.push_back(*std::move(m));
    }
  }
  PrintTables(results);
  if (!options->csv_path.empty()) {
    std::ofstream out(options->csv_path, std::ios::binary);
    out << Csv(*options, results);
    if (!out.good()) {
      return Fail(absl::UnavailableError(
          absl::StrCat("cannot write ", options->csv_path)));
    }
    std::printf("\nCSV written to %s\n", options->csv_path.c_str());
  }
  return 0;
}

}  // namespace
}  // namespace vlmc::bench

int main(int argc, char** argv) { return vlmc::bench::Run(argc, argv); }
