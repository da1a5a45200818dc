#ifndef VLMC_MODELS_BITSTREAM_Y_SUBSTREAMS_H_
#define VLMC_MODELS_BITSTREAM_Y_SUBSTREAMS_H_

// Format 4 splits the y segment into independent rANS substreams, one per
// group of latent channels, so that decoders can decode them in parallel.
// FORMAT.md ("Substreams (format 4)") specifies the layout.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace vlmc::bitstream {

inline constexpr int kMaxYSubstreams = 64;

// The substreams of a format-4 y segment, as views into it. DATA_LOSS (one
// line naming the problem) for a count outside 1..kMaxYSubstreams, a
// truncated length table or lengths that overrun the segment.
absl::StatusOr<std::vector<absl::string_view>> SplitYSegment(
    absl::string_view y_segment);

// The y segment holding `substreams` in order. INVALID_ARGUMENT for a count
// outside 1..kMaxYSubstreams or a substream longer than 2^32 - 1 bytes.
absl::StatusOr<std::string> JoinYSubstreams(
    absl::Span<const std::string> substreams);

// The first latent channel of substream `index` when `channels` channels
// are split into `count` substreams: floor(index * channels / count).
inline int64_t SubstreamFirstChannel(int64_t index, int64_t count,
                                     int64_t channels) {
  return index * channels / count;
}

}  // namespace vlmc::bitstream

#endif  // VLMC_MODELS_BITSTREAM_Y_SUBSTREAMS_H_
