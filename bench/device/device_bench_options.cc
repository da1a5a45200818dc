#include "bench/device/device_bench_options.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

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

absl::StatusOr<std::vector<int>> ParseBatchSizes(const cli::Flags& flags,
                                                 const std::string& name) {
  std::vector<int> sizes;
  for (absl::string_view part : absl::StrSplit(flags.Get(name), ',')) {
    int size = 0;
    if (!absl::SimpleAtoi(part, &size) || size < 1 || size > 1024) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--", name, ": each value must be an integer in [1, 1024]"));
    }
    sizes.push_back(size);
  }
  return sizes;
}

}  // namespace

std::vector<cli::Flags::Spec> DeviceBenchFlagSpecs() {
  return {
      {"model", VLMC_DEFAULT_MODEL_PATH, "model file (safetensors)"},
      {"device", "cpu", "cpu, cuda or cuda:N"},
      {"half-synthesis", "", "run the synthesis in float16 (CUDA only)", true},
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
  options.half_synthesis = flags.GetBool("half-synthesis");
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
    absl::StatusOr<std::vector<int>> sizes = ParseBatchSizes(flags, name);
    if (!sizes.ok()) return sizes.status();
    *target = *std::move(sizes);
  }
  return options;
}

}  // namespace vlmc::bench
