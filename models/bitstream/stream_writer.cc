// WriteStream: serialises the container laid out in FORMAT.md.

#include <cstdint>
#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
#include "models/bitstream/byte_io.h"
#include "models/bitstream/header_checks.h"
#include "models/bitstream/stream_format.h"
#include "models/bitstream/y_substreams.h"
#include "models/util/crc32.h"

namespace vlmc::bitstream {

absl::StatusOr<std::string> WriteStream(const StreamHeader& header,
                                        absl::string_view z_segment,
                                        absl::string_view y_segment) {
  absl::Status status =
      CheckHeaderFormat(header, absl::StatusCode::kInvalidArgument);
  if (!status.ok()) return status;
  if (header.format_version < kOldestFormatVersion ||
      header.format_version > kNewestFormatVersion) {
    return absl::InvalidArgumentError(
        absl::StrCat("vlmc stream: format version ", header.format_version,
                     " is not one this writer knows (", kOldestFormatVersion,
                     " to ", kNewestFormatVersion, ")"));
  }
  constexpr uint64_t kMaxSegment = std::numeric_limits<uint32_t>::max();
  if (z_segment.size() > kMaxSegment || y_segment.size() > kMaxSegment) {
    return absl::InvalidArgumentError(
        absl::StrCat("vlmc stream: segment sizes ", z_segment.size(), " and ",
                     y_segment.size(), " must each fit in 32 bits"));
  }
  if (header.format_version >= kSubstreamFormatVersion) {
    if (absl::Status table = SplitYSegment(y_segment).status(); !table.ok()) {
      return absl::InvalidArgumentError(table.message());
    }
  }

  std::string out;
  out.reserve(kFixedOverheadBytes + header.model_id.size() + z_segment.size() +
              y_segment.size());
  ByteWriter w(&out);
  w.PutBytes(kMagic);
  w.PutU8(header.format_version);
  w.PutU8(header.downscale_log2);  // flags: checked to fit bits 0-1
  w.PutU8(static_cast<uint8_t>(header.model_id.size()));
  w.PutBytes(header.model_id);
  w.PutU16(header.model_version);
  w.PutBytes(absl::string_view(
      reinterpret_cast<const char*>(header.weights_hash.data()),
      header.weights_hash.size()));
  w.PutU32(header.width);
  w.PutU32(header.height);
  w.PutU16(header.quality_code);
  w.PutU16(0);  // reserved
  w.PutU32(static_cast<uint32_t>(z_segment.size()));
  w.PutU32(static_cast<uint32_t>(y_segment.size()));
  w.PutBytes(z_segment);
  w.PutBytes(y_segment);
  w.PutU32(util::Crc32(out));
  return out;
}

}  // namespace vlmc::bitstream
