#ifndef VLMC_BENCH_RATE_ACCURACY_BENCH_OPTIONS_H_
#define VLMC_BENCH_RATE_ACCURACY_BENCH_OPTIONS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace vlmc::bench {

// A codec to run and its rate points.
struct CodecLadder {
  std::string codec;
  std::vector<double> points;
};

// vlmc-bench's command line.
struct BenchOptions {
  std::string images;
  std::string labels;
  std::string list;
  std::vector<CodecLadder> codecs;
  std::string model;            // vlmc model file.
  int vlmc_downscale = 1;       // codec::EncodeOptions::downscale for vlmc.
  std::string detector_models;  // Detector / token model folder.
  int limit = 0;                // 0: every listed image.
  int jobs = 1;
  int threads = 0;  // LibTorch threads per job; 0: LibTorch's default.
  std::string out;
};

// The --help text: every flag with its default.
std::string BenchUsage();

// Parses the arguments after the program name (--help is accepted and
// ignored: the caller prints BenchUsage() for it). INVALID_ARGUMENT naming the
// flag for unknown flags, positional arguments, bad numbers, unknown codecs
// or bad ladder points; also a --ladder-<codec> that changes the ladder of a
// codec not in --codecs, so that a typo cannot silently do nothing.
absl::StatusOr<BenchOptions> ParseBenchOptions(
    const std::vector<std::string>& args);

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_RATE_ACCURACY_BENCH_OPTIONS_H_
