#include "models/bitstream/y_substreams.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "models/bitstream/byte_io.h"

namespace vlmc::bitstream {

absl::StatusOr<std::vector<absl::string_view>> SplitYSegment(
    absl::string_view y_segment) {
  ByteReader r(y_segment);
  uint8_t count;
  if (!r.ReadU8(&count)) {
    return absl::DataLossError(
        "vlmc stream: y segment is empty (needs a substream count)");
  }
  if (count < 1 || count > kMaxYSubstreams) {
    return absl::DataLossError(absl::StrCat("vlmc stream: y substream count ",
                                            count, " is outside 1..",
                                            kMaxYSubstreams));
  }
  uint32_t lengths[kMaxYSubstreams];
  for (int i = 0; i + 1 < count; ++i) {
    if (!r.ReadU32(&lengths[i])) {
      return absl::DataLossError(absl::StrCat(
          "vlmc stream: y substream table truncated at length ", i));
    }
  }
  std::vector<absl::string_view> substreams(count);
  for (int i = 0; i + 1 < count; ++i) {
    // One at a time against what is left: no sum can overflow.
    if (!r.ReadBytes(lengths[i], &substreams[i])) {
      return absl::DataLossError(
          absl::StrCat("vlmc stream: y substream ", i, " length ", lengths[i],
                       " exceeds remaining ", r.remaining(), " bytes"));
    }
  }
  r.ReadBytes(r.remaining(), &substreams[count - 1]);
  return substreams;
}

absl::StatusOr<std::string> JoinYSubstreams(
    absl::Span<const std::string> substreams) {
  if (substreams.empty() ||
      substreams.size() > static_cast<size_t>(kMaxYSubstreams)) {
    return absl::InvalidArgumentError(
        absl::StrCat("y substream count ", substreams.size(), " is outside 1..",
                     kMaxYSubstreams));
  }
  std::string out;
  ByteWriter w(&out);
  w.PutU8(static_cast<uint8_t>(substreams.size()));
  for (size_t i = 0; i + 1 < substreams.size(); ++i) {
    if (substreams[i].size() > std::numeric_limits<uint32_t>::max()) {
      return absl::InvalidArgumentError(
          absl::StrCat("y substream ", i, " is longer than 2^32 - 1 bytes"));
    }
    w.PutU32(static_cast<uint32_t>(substreams[i].size()));
  }
  for (const std::string& s : substreams) w.PutBytes(s);
  return out;
}

}  // namespace vlmc::bitstream
