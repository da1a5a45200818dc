#ifndef VLMC_BENCH_SOAK_SOAK_CASES_H_
#define VLMC_BENCH_SOAK_SOAK_CASES_H_

#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "bench/soak/soak_tally.h"
#include "models/codec/codec.h"
#include "models/image/image.h"
#include "vlmc/v1/codec.pb.h"

namespace vlmc::bench {

// One image at one quality, with what the library makes of it: the server's
// answers for it must equal these.
struct ValidCase {
  std::string name;  // e.g. "192x128 q0.2"
  int width = 0;
  int height = 0;
  v1::EncodeRequest raw_request;  // the image as raw RGB8
  v1::EncodeRequest png_request;  // the same image as a PNG file
  std::string stream;             // Codec::Compress of the image
  image::Image pixels;            // Codec::Decompress of `stream`
};

// A request the server must refuse, with the kind that says how.
struct RefusalCase {
  std::string name;
  SoakKind kind = SoakKind::kCorruptDecode;
  bool is_encode = false;  // Encode (encode_request) or Decode
  v1::EncodeRequest encode_request;
  v1::DecodeRequest decode_request;
};

// The server's limits, from GetInfo.
struct ServerLimits {
  uint64_t max_message_bytes = 0;
  uint64_t max_image_pixels = 0;
  uint32_t max_image_dimension = 0;
};

// Crops of `source` (at spread-out offsets) of each size, at each quality,
// compressed and decompressed with `codec`. INVALID_ARGUMENT when a size
// does not fit in the source.
absl::StatusOr<std::vector<ValidCase>> MakeValidCases(
    const codec::Codec& codec, const image::Image& source,
    const std::vector<std::pair<int, int>>& sizes,
    const std::vector<double>& qualities);

// Per valid stream, `per_stream` corruptions: truncations and single- or
// multi-bit flips at random places. Only those the library itself refuses
// are kept (so each is a stream no decoder may accept).
std::vector<RefusalCase> MakeCorruptCases(const codec::Codec& codec,
                                          const std::vector<ValidCase>& valid,
                                          int per_stream, std::mt19937& rng);

// Requests over `limits`: Encode and Decode messages over the message limit
// (RESOURCE_EXHAUSTED from gRPC), a raw image one pixel wider than the
// dimension limit, a raw image one row over the pixel limit when it fits in
// a message, `big_png` (a PNG file) when it has more pixels than the limit,
// and the streams in `bad_streams_dir` that declare sizes over the limits
// (skipped when the directory has none).
std::vector<RefusalCase> MakeOversizedCases(const ServerLimits& limits,
                                            const std::string& big_png,
                                            int big_png_pixels,
                                            const std::string& bad_streams_dir);

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_SOAK_SOAK_CASES_H_
