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
  kAvif,  // libavif avifenc (libaom, speed 6, 4:2:0) / avifdec.
  kJxl,   // libjxl cjxl (lossy, effort 7) / djxl.
  kHevc,  // ffmpeg + libx265 (preset medium, tune psnr), one intra frame,
          // 4:2:0, raw elementary stream.
};

inline constexpr BaselineCodec kAllBaselineCodecs[] = {
    BaselineCodec::kJpeg, BaselineCodec::kWebp, BaselineCodec::kAvif,
    BaselineCodec::kJxl, BaselineCodec::kHevc};

// "jpeg", "webp", "avif", "jxl" or "hevc"; INVALID_ARGUMENT otherwise.
absl::StatusOr<BaselineCodec> ParseBaselineCodec(absl::string_view name);
absl::string_view BaselineCodecName(BaselineCodec codec);

// RunBaseline's `quality` is each tool's own rate parameter, passed unchanged:
// its valid range, and which end gives more bytes.
struct QualityScale {
  int min = 0;
  int max = 0;
  bool higher_is_better = true;  // False for quantizers (AVIF, HEVC).
  absl::string_view meaning;     // The flag it becomes, for --help.
};
QualityScale BaselineQualityScale(BaselineCodec codec);

struct BaselineResult {
  int64_t bytes = 0;           // Size of the compressed file.
  image::Image decoded;        // Same size as the source.
  std::string encode_command;  // Exact command lines run (shell-quoted).
  std::string decode_command;
  std::string work_dir;  // The temporary directory they ran in (removed).
  // Wall time of the encode and of the decode command, each from process
  // start to exit (the tool's file reading and writing included).
  double encode_ms = 0;
  double decode_ms = 0;
};

// Codes `source` at `quality` (within BaselineQualityScale) in a private
// temporary directory that is removed afterwards:
//   jpeg: cjpeg -quality Q -sample 2x2 -optimize -outfile out.jpg in.ppm
//         djpeg -ppm -outfile dec.ppm out.jpg
//   webp: cwebp -quiet -q Q -m 6 in.png -o out.webp
//         dwebp -quiet out.webp -o dec.png  (PNG output)
//   avif: avifenc -j 1 -c aom -s 6 -y 420 --min Q --max Q in.png out.avif
//         avifdec -j 1 out.avif dec.png
//   jxl:  cjxl in.png out.jxl -q Q -e 7 --num_threads=0 --quiet
//         djxl out.jxl dec.png --num_threads=0 --quiet
//   hevc: ffmpeg ... -i in.png -pix_fmt yuv420p -frames:v 1 -c:v libx265
//         -preset medium -tune psnr -x265-params qp=Q:ipratio=1:info=0:...
//         -f hevc out.hevc, decoded by ffmpeg to an RGB PNG. `bytes` is the
//         raw elementary stream (VPS/SPS/PPS + one IDR picture): no container,
//         no informational SEI.
// INVALID_ARGUMENT for a quality outside the codec's scale, an invalid image
// or (hevc) an odd width or height; NOT_FOUND naming the Debian package when a
// tool is missing; INTERNAL with the tool's output when it fails.
absl::StatusOr<BaselineResult> RunBaseline(BaselineCodec codec,
                                           const image::Image& source,
                                           int quality);

// One "tool: version" line per tool the codec uses, e.g.
// "cjpeg: libjpeg-turbo version 2.1.5 (build 20230203)".
absl::StatusOr<std::vector<std::string>> BaselineToolVersions(
    BaselineCodec codec);

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_BASELINE_CODECS_H_
