#ifndef VLMC_MODELS_BITSTREAM_STREAM_FORMAT_H_
#define VLMC_MODELS_BITSTREAM_STREAM_FORMAT_H_

// The container for one coded image. The byte layout, the error mapping and
// the meaning of the two entropy-coded segments are specified in FORMAT.md.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vlmc::bitstream {

// The version WriteStream writes by default; ParseStream reads every version
// from kOldestFormatVersion to kNewestFormatVersion (FORMAT.md, "Changelog").
// Encoders write a later version only for streams that need it (coded at a
// reduced resolution, or with y substreams), so older decoders keep reading
// everything else.
inline constexpr uint8_t kFormatVersion = 2;
inline constexpr uint8_t kOldestFormatVersion = 1;
inline constexpr uint8_t kNewestFormatVersion = 4;
// The first version whose flags carry the coded resolution.
inline constexpr uint8_t kDownscaleFormatVersion = 3;
// The first version whose y segment holds a table of substreams
// (y_substreams.h).
inline constexpr uint8_t kSubstreamFormatVersion = 4;
// Coded resolution: 1/2^downscale_log2 of the image's, downscale_log2 <= this.
inline constexpr uint8_t kMaxDownscaleLog2 = 2;
inline constexpr absl::string_view kMagic = "VLMC";
inline constexpr size_t kMaxModelIdLength = 64;
// Bytes a stream adds around its segments, besides the model id itself:
// stream size = kFixedOverheadBytes + model_id.size() + |z| + |y|.
inline constexpr size_t kFixedOverheadBytes = 41;

// Decoder-side resource limits. ParseStream enforces them, so a caller that
// allocates from a parsed header never allocates for an unchecked size.
struct Limits {
  uint32_t max_width = 16384, max_height = 16384;
  uint64_t max_pixels = 1ull << 27;
  uint32_t max_segment_bytes = 1u << 28;  // per segment
};

struct StreamHeader {
  // Decides how the segments are decoded (FORMAT.md), not the byte layout.
  uint8_t format_version = kFormatVersion;
  std::string model_id;  // 1..64 chars of [a-z0-9._-]
  uint16_t model_version = 0;
  // First 8 bytes of the SHA-256 of the model's weights file.
  std::array<uint8_t, 8> weights_hash{};
  uint32_t width = 0, height = 0;  // original image size in pixels (>= 1)
  uint16_t quality_code = 0;       // quality = quality_code / 65535.0
  // Format 3: the image was coded at CodedExtent(width/height) and the decoder
  // upsamples by 2^downscale_log2. 0 (full resolution) in formats 1 and 2.
  uint8_t downscale_log2 = 0;

  friend bool operator==(const StreamHeader& a, const StreamHeader& b) {
    return a.format_version == b.format_version && a.model_id == b.model_id &&
           a.model_version == b.model_version &&
           a.weights_hash == b.weights_hash && a.width == b.width &&
           a.height == b.height && a.quality_code == b.quality_code &&
           a.downscale_log2 == b.downscale_log2;
  }
  friend bool operator!=(const StreamHeader& a, const StreamHeader& b) {
    return !(a == b);
  }
};

struct ParsedStream {
  StreamHeader header;
  // Views into the buffer given to ParseStream: valid only while it lives.
  absl::string_view z_segment;
  absl::string_view y_segment;
  // The y segment's independent rANS streams, in channel order: the whole
  // segment before format 4, the substreams of its table from format 4 on.
  std::vector<absl::string_view> y_substreams;
};

// Serialises a stream. INVALID_ARGUMENT if the header violates the format
// (unknown format version, model id, zero dimensions) or a segment exceeds 2^32
// - 1 bytes. Decoder Limits are not applied here: call ValidateHeader first to
// stay within them.
absl::StatusOr<std::string> WriteStream(const StreamHeader& header,
                                        absl::string_view z_segment,
                                        absl::string_view y_segment);

// Parses and verifies a whole stream (exact length, CRC, header fields,
// limits). Status codes are listed in FORMAT.md. Never reads out of bounds
// and never allocates based on a length field.
absl::StatusOr<ParsedStream> ParseStream(absl::string_view data,
                                         const Limits& limits = {});

// INVALID_ARGUMENT if `h` violates the format or exceeds `limits`.
absl::Status ValidateHeader(const StreamHeader& h, const Limits& limits);

// The coded size of an image side of `extent` pixels: ceil(extent / 2^k).
inline uint32_t CodedExtent(uint32_t extent, uint8_t downscale_log2) {
  const uint64_t factor = uint64_t{1} << downscale_log2;
  return static_cast<uint32_t>((uint64_t{extent} + factor - 1) / factor);
}

// Clamps `quality` to [0, 1] (NaN -> 0) and rounds to the nearest code.
uint16_t QualityToCode(double quality);
double CodeToQuality(uint16_t code);

}  // namespace vlmc::bitstream

#endif  // VLMC_MODELS_BITSTREAM_STREAM_FORMAT_H_
