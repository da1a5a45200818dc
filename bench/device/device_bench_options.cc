#include "bench/device/device_bench_options.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "models/bitstream/y_substreams.h"

namespace vlmc::bench {
namespace {

// The integer flag `name`, which must be at least `min`.
absl::StatusOr<int> IntFlag(const cli::Flags& flags, const std::string& name,
                            int min) {
  absl::StatusOr<int64_t> value = flags.GetInt(name);
  if (!value.ok() || *value < min || *value > (1 << 20)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", name, " must be an integer >= ", min));
  }
  return static_cast<int>(*value);
}

// The comma-separated integers of flag `name`, each in [1, max].
absl::StatusOr<std::vector<int>> ParseIntList(const cli::Flags& flags,
                                              const std::string& name,
                                              int max) {
  std::vector<int> values;
  for (absl::string_view part : absl::StrSplit(flags.Get(name), ',')) {
    int value = 0;
    if (!absl::SimpleAtoi(part, &value) || value < 1 || value > max) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--", name, ": each value must be an integer in [1, ", max, "]"));
    }
    values.push_back(value);
  }
  return values;
}

}  // namespace

std::vector<cli::Flags::Spec> DeviceBenchFlagSpecs() {
  return {
      {"model", VLMC_DEFAULT_MODEL_PATH, "model file (safetensors)"},
      {"device", "cpu", "cpu, cuda or cuda:N"},
      {"synthesis", "float32",
       "synthesis arithmetic: float32, float64 (exact) or float16 (CUDA "
       "only)"},
      {"threads", "0", "LibTorch CPU threads (0: its default)"},
      {"iterations", "5", "timed runs per measurement"},
      {"warmup", "1", "untimed runs before them"},
      {"image", VLMC_SOURCE_DIR "/tests/data/kodim20.png", "the regular image"},
      {"image-size", "", "WxH: tile or crop --image to this size"},
      {"large-image", "", "the large image (default: --image tiled)"},
      {"large-size", "1920x1080", "WxH of the tiled large image"},
      {"qualities", "0.5", "comma-separated qualities in [0, 1]"},
      {"batch-sizes", "1,4,8", "batch sizes of the Synthesize throughput"},
      {"large-batch-sizes", "1,4,8", "the same for the large image"},
      {"substream-counts", "1,2,5,16",
       "y substream counts (format 4) whose rANS decode is timed against a "
       "single stream in the same run (1 is always measured)"},
      {"csv", "", "also write the results as CSV to this file"},
      {"help", "", "print this help", true},
  };
}

absl::StatusOr<ImageSize> ParseImageSize(const std::string& text) {
  const std::vector<std::string> parts = absl::StrSplit(text, 'x');
  ImageSize size;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &size.width) ||
      !absl::SimpleAtoi(parts[1], &size.height) || size.width <= 0 ||
      size.height <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' is not a size WxH"));
  }
  return size;
}

absl::StatusOr<DeviceBenchOptions> ParseDeviceBenchOptions(
    const cli::Flags& flags) {
  DeviceBenchOptions options;
  options.model = flags.Get("model");
  options.device = flags.Get("device");
  absl::StatusOr<codec::SynthesisPrecision> synthesis =
      codec::ParseSynthesisPrecision(flags.Get("synthesis"));
  if (!synthesis.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--synthesis: ", synthesis.status().message()));
  }
  options.synthesis = *synthesis;
  options.image = flags.Get("image");
  options.large_image = flags.Get("large-image");
  options.csv_path = flags.Get("csv");
  for (auto [name, target, min] :
       {std::tuple{"threads", &options.threads, 0},
        std::tuple{"iterations", &options.iterations, 1},
        std::tuple{"warmup", &options.warmup, 0}}) {
    absl::StatusOr<int> value = IntFlag(flags, name, min);
    if (!value.ok()) return value.status();
    *target = *value;
  }
  if (!flags.Get("image-size").empty()) {
    absl::StatusOr<ImageSize> size = ParseImageSize(flags.Get("image-size"));
    if (!size.ok()) return size.status();
    options.image_size = *size;
  }
  absl::StatusOr<ImageSize> large = ParseImageSize(flags.Get("large-size"));
  if (!large.ok()) return large.status();
  options.large_size = *large;

  options.qualities.clear();
  for (absl::string_view part : absl::StrSplit(flags.Get("qualities"), ',')) {
    double q = 0;
    if (!absl::SimpleAtod(part, &q) || !(q >= 0 && q <= 1)) {
      return absl::InvalidArgumentError(
          "--qualities: each value must be in [0, 1]");
    }
    options.qualities.push_back(q);
  }
  for (auto [name, target] :
       {std::pair{"batch-sizes", &options.batch_sizes},
        std::pair{"large-batch-sizes", &options.large_batch_sizes}}) {
    absl::StatusOr<std::vector<int>> sizes = ParseIntList(flags, name, 1024);
    if (!sizes.ok()) return sizes.status();
    *target = *std::move(sizes);
  }
  absl::StatusOr<std::vector<int>> counts =
      ParseIntList(flags, "substream-counts", bitstream::kMaxYSubstreams);
  if (!counts.ok()) return counts.status();
  options.substream_counts = *std::move(counts);
  // The single stream is the baseline of the speed-ups.
  if (std::find(options.substream_counts.begin(),
                options.substream_counts.end(),
                1) == options.substream_counts.end()) {
    options.substream_counts.insert(options.substream_counts.begin(), 1);
  }
  return options;
}

}  // namespace vlmc::bench
