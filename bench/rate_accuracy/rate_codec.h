#ifndef VLMC_BENCH_RATE_ACCURACY_RATE_CODEC_H_
#define VLMC_BENCH_RATE_ACCURACY_RATE_CODEC_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "models/image/image.h"

namespace vlmc::bench {

// One image coded at one rate point and decoded again.
struct CodedImage {
  int64_t bytes = 0;     // The whole compressed stream or file.
  image::Image decoded;  // Same size as the source.
  double encode_ms = 0;  // Wall time of the encode, of the decode.
  double decode_ms = 0;
  // How it was made, for the CSV header: the exact commands for a baseline
  // ($WORK for its temporary directory), the equivalent `vlmc` commands for
  // the learned codec, which runs in process.
  std::string encode_command;
  std::string decode_command;
};

// A codec under test: the learned codec or a baseline tool. Code() is safe
// to call from several threads at once.
class RateCodec {
 public:
  virtual ~RateCodec() = default;

  // "vlmc", "jpeg", ...
  virtual const std::string& name() const = 0;

  // Codes and decodes `source` at `point` (a quality of the codec's ladder,
  // see ladders.h).
  virtual absl::StatusOr<CodedImage> Code(const image::Image& source,
                                          double point) const = 0;

  // What runs, for the CSV header: the model identity or tool versions.
  virtual absl::StatusOr<std::vector<std::string>> Describe() const = 0;
};

// The learned codec with the model file at `model_path` (Codec::Compress and
// Codec::Decompress in this process; the times exclude image file I/O),
// coding at `downscale` (codec::EncodeOptions::downscale).
absl::StatusOr<std::unique_ptr<RateCodec>> MakeVlmcRateCodec(
    const std::string& model_path, int downscale = 1);

// A baseline through its command-line tools (RunBaseline); `name` is "jpeg",
// "webp", "avif", "jxl" or "hevc". The times are the tools' wall times,
// process start and their own file I/O included.
absl::StatusOr<std::unique_ptr<RateCodec>> MakeBaselineRateCodec(
    const std::string& name);

// Either of the above by name.
absl::StatusOr<std::unique_ptr<RateCodec>> MakeRateCodec(
    const std::string& name, const std::string& vlmc_model_path,
    int vlmc_downscale = 1);

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_RATE_ACCURACY_RATE_CODEC_H_
