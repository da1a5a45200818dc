#ifndef VLMC_BENCH_RATE_ACCURACY_LADDERS_H_
#define VLMC_BENCH_RATE_ACCURACY_LADDERS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vlmc::bench {

// The learned codec's name in --codecs and in every output.
inline constexpr char kVlmcCodec[] = "vlmc";
inline constexpr char kDefaultCodecs[] = "vlmc,jpeg,webp,avif,jxl,hevc";

// The codec names --codecs accepts: vlmc and the baselines.
std::vector<std::string> KnownRateCodecs();

// --codecs: known names, comma-separated, each at most once.
// INVALID_ARGUMENT naming the offending entry.
absl::StatusOr<std::vector<std::string>> ParseCodecList(absl::string_view text);

// The default rate points of `codec`, lowest rate first: six points over
// about 0.1-1.4 bpp on the held-out COCO images for every baseline (vlmc's
// quality 0..1 spans 0.28-1.26 there). Empty for an unknown codec.
std::string DefaultLadder(absl::string_view codec);

// What a point means for `codec`, for --help: vlmc's quality in [0, 1] or
// the baseline tool's own setting (BaselineQualityScale).
std::string LadderMeaning(absl::string_view codec);

// A comma-separated ladder for `codec`: vlmc takes qualities in [0, 1],
// a baseline integers within its tool's scale. INVALID_ARGUMENT naming the
// codec and the bad entry; an empty or repeated point is an error too.
absl::StatusOr<std::vector<double>> ParseLadder(absl::string_view codec,
                                                absl::string_view text);

// A point as written in the CSVs: "0.4" for vlmc, "35" for a baseline.
std::string FormatPoint(double point);

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_RATE_ACCURACY_LADDERS_H_
