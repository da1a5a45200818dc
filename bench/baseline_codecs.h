#ifndef VLMC_BENCH_BASELINE_CODECS_H_
#define VLMC_BENCH_BASELINE_CODECS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "models/image/image.h"

namespace vlmc::bench {

// Traditional codecs run through their reference command-line tools.
enum class BaselineCodec {
  kJpeg,  // libjpeg-turbo cjpeg/djpeg, 4:2:0, optimized Huffman tables.
  kWebp,  // libwebp cwebp/dwebp, lossy, -m 6.
};

// "jpeg" or "webp"; INVALID_ARGUMENT otherwise.
absl::StatusOr<BaselineCodec> ParseBaselineCodec(absl::string_view name);
absl::string_view BaselineCodecName(BaselineCodec codec);

struct BaselineResult {
  int64_t bytes = 0;           // Size of the compressed file.
  image::Image decoded;        // Same size as the source.
  std::string encode_command;  // Exact command lines run (shell-quoted).
  std::string decode_command;
  std::string work_dir;  // The temporary directory they ran in (removed).
};

// Codes `source` at `quality` (0..100) in a private temporary directory that
// is removed afterwards:
//   jpeg: cjpeg -quality Q -sample 2x2 -optimize -outfile out.jpg in.ppm
//         djpeg -ppm -outfile dec.ppm out.jpg
//   webp: cwebp -quiet -q Q -m 6 in.png -o out.webp
//         dwebp -quiet out.webp -o dec.png  (PNG output)
// NOT_FOUND naming the Debian package when a tool is missing; INTERNAL with
// the tool's output when it fails.
absl::StatusOr<BaselineResult> RunBaseline(BaselineCodec codec,
                                           const image::Image& source,
                                           int quality);

// One "tool: version" line per tool the codec uses, e.g.
// "cjpeg: libjpeg-turbo version 2.1.5 (build 20230203)".
absl::StatusOr<std::vector<std::string>> BaselineToolVersions(
    BaselineCodec codec);

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_BASELINE_CODECS_H_
