// ParseStream: verifies and splits a stream laid out as in FORMAT.md.
//
// Checks run in the order documented there, so each kind of damage maps to
// one status code: bad magic, then version, then truncation of the header,
// segment limits, exact total length, CRC, and finally the header fields.

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "models/bitstream/byte_io.h"
#include "models/bitstream/header_checks.h"
#include "models/bitstream/stream_format.h"
#include "models/bitstream/y_substreams.h"
#include "models/util/crc32.h"

namespace vlmc::bitstream {
namespace {

constexpr size_t kCrcBytes = 4;

absl::Status Truncated(absl::string_view field, const ByteReader& r) {
  return absl::DataLossError(
      absl::StrCat("vlmc stream: truncated: ", field, " at offset ", r.offset(),
                   " needs more than the ", r.remaining(), " bytes left"));
}

absl::Status CheckSegmentLimit(absl::string_view name, uint32_t length,
                               const Limits& limits) {
  if (length <= limits.max_segment_bytes) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "vlmc stream: ", name, " segment length ", length,
      " exceeds limit max_segment_bytes=", limits.max_segment_bytes));
}

}  // namespace

absl::StatusOr<ParsedStream> ParseStream(absl::string_view data,
                                         const Limits& limits) {
  if (data.substr(0, kMagic.size()) != kMagic) {
    return absl::InvalidArgumentError(
        "vlmc stream: not a vlmc stream (input does not start with \"VLMC\")");
  }
  ByteReader r(data);
  r.Skip(kMagic.size());  // checked above

  uint8_t version;
  if (!r.ReadU8(&version)) return Truncated("format version", r);
  if (version < kOldestFormatVersion || version > kNewestFormatVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("vlmc stream: format version ", version,
                     " is not supported (this decoder reads versions ",
                     kOldestFormatVersion, " to ", kNewestFormatVersion, ")"));
  }

  ParsedStream parsed;
  StreamHeader& h = parsed.header;
  h.format_version = version;
  uint8_t flags, model_id_length;
  absl::string_view model_id, weights_hash;
  uint16_t reserved;
  uint32_t z_length, y_length;
  if (!r.ReadU8(&flags)) return Truncated("flags", r);
  if (!r.ReadU8(&model_id_length)) return Truncated("model id length", r);
  if (!r.ReadBytes(model_id_length, &model_id)) return Truncated("model id", r);
  if (!r.ReadU16(&h.model_version)) return Truncated("model version", r);
  if (!r.ReadBytes(h.weights_hash.size(), &weights_hash)) {
    return Truncated("weights hash", r);
  }
  if (!r.ReadU32(&h.width)) return Truncated("width", r);
  if (!r.ReadU32(&h.height)) return Truncated("height", r);
  if (!r.ReadU16(&h.quality_code)) return Truncated("quality code", r);
  if (!r.ReadU16(&reserved)) return Truncated("reserved field", r);
  if (!r.ReadU32(&z_length)) return Truncated("z segment length", r);
  if (!r.ReadU32(&y_length)) return Truncated("y segment length", r);

  // Limits first: a hostile length should be reported as such, not as a
  // short buffer.
  absl::Status status = CheckSegmentLimit("z", z_length, limits);
  if (!status.ok()) return status;
  status = CheckSegmentLimit("y", y_length, limits);
  if (!status.ok()) return status;

  // Compare each length with what is left before the CRC rather than
  // summing, so no arithmetic can overflow.
  size_t left = r.remaining() > kCrcBytes ? r.remaining() - kCrcBytes : 0;
  if (z_length > left) {
    return absl::DataLossError(absl::StrCat("vlmc stream: z segment length ",
                                            z_length, " exceeds remaining ",
                                            left, " bytes"));
  }
  left -= z_length;
  if (y_length > left) {
    return absl::DataLossError(absl::StrCat("vlmc stream: y segment length ",
                                            y_length, " exceeds remaining ",
                                            left, " bytes"));
  }
  r.ReadBytes(z_length, &parsed.z_segment);
  r.ReadBytes(y_length, &parsed.y_segment);
  uint32_t stored_crc;
  if (!r.ReadU32(&stored_crc)) {
    return absl::DataLossError(
        absl::StrCat("vlmc stream: truncated: CRC-32 needs 4 bytes, ",
                     r.remaining(), " left"));
  }
  if (r.remaining() != 0) {
    return absl::DataLossError(absl::StrCat(
        "vlmc stream: ", r.remaining(), " trailing bytes after the CRC-32"));
  }
  const uint32_t actual_crc =
      util::Crc32(data.substr(0, r.offset() - kCrcBytes));
  if (actual_crc != stored_crc) {
    return absl::DataLossError(absl::StrCat(
        "vlmc stream: CRC-32 mismatch (stored 0x", absl::Hex(stored_crc),
        ", computed 0x", absl::Hex(actual_crc), ")"));
  }

  // The bytes are what the writer produced; now check they mean something.
  // Format 3 keeps the coded resolution in bits 0-1; the rest is reserved.
  const uint8_t reserved_flags =
      version >= kDownscaleFormatVersion
          ? static_cast<uint8_t>(flags & ~kDownscaleFlagMask)
          : flags;
  if (reserved_flags != 0) {
    return absl::DataLossError(absl::StrCat(
        "vlmc stream: flags 0x", absl::Hex(flags), " has reserved bits set"));
  }
  h.downscale_log2 = flags & kDownscaleFlagMask;
  if (reserved != 0) {
    return absl::DataLossError(absl::StrCat("vlmc stream: reserved field is 0x",
                                            absl::Hex(reserved),
                                            ", must be 0"));
  }
  h.model_id = std::string(model_id);
  for (size_t i = 0; i < weights_hash.size(); ++i) {
    h.weights_hash[i] = static_cast<uint8_t>(weights_hash[i]);
  }
  status = CheckHeaderFormat(h, absl::StatusCode::kDataLoss);
  if (!status.ok()) return status;
  status = CheckHeaderLimits(h, limits);
  if (!status.ok()) return status;
  if (version >= kSubstreamFormatVersion) {
    absl::StatusOr<std::vector<absl::string_view>> substreams =
        SplitYSegment(parsed.y_segment);
    if (!substreams.ok()) return substreams.status();
    parsed.y_substreams = *std::move(substreams);
  } else {
    parsed.y_substreams = {parsed.y_segment};
  }
  return parsed;
}

}  // namespace vlmc::bitstream
