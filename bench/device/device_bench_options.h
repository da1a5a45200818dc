#ifndef VLMC_BENCH_DEVICE_DEVICE_BENCH_OPTIONS_H_
#define VLMC_BENCH_DEVICE_DEVICE_BENCH_OPTIONS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "models/codec/synthesis_precision.h"
#include "models/util/cli_flags.h"

namespace vlmc::bench {

struct ImageSize {
  int width = 0, height = 0;
};

// What vlmc-device-bench measures and how often.
struct DeviceBenchOptions {
  std::string model;
  std::string device = "cpu";
  codec::SynthesisPrecision synthesis = codec::SynthesisPrecision::kFloat32;
  int threads = 0;  // 0: LibTorch's default
  int iterations = 5;
  int warmup = 1;
  std::string image;
  // Tiles or crops `image` to this size in memory; width 0: its own size.
  ImageSize image_size;
  // A file for the large image; empty: `image` tiled to `large_size`.
  std::string large_image;
  ImageSize large_size{1920, 1080};
  std::vector<double> qualities{0.5};
  std::vector<int> batch_sizes{1, 4, 8};
  // For the large image: a CPU float64 batch of 1920x1080 takes ~3 GB per
  // image, so a CPU run may need smaller batches here.
  std::vector<int> large_batch_sizes{1, 4, 8};
  // y substream counts whose decode is timed; always includes 1.
  std::vector<int> substream_counts{1, 2, 5, 16};
  std::string csv_path;  // empty: no CSV file
};

std::vector<cli::Flags::Spec> DeviceBenchFlagSpecs();

// INVALID_ARGUMENT naming the flag for a malformed or out-of-range value.
absl::StatusOr<DeviceBenchOptions> ParseDeviceBenchOptions(
    const cli::Flags& flags);

// "1920x1080" -> {1920, 1080}; both sides must be positive.
absl::StatusOr<ImageSize> ParseImageSize(const std::string& text);

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_DEVICE_DEVICE_BENCH_OPTIONS_H_
