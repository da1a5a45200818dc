#ifndef VLMC_MODELS_RATECONTROL_RATE_SEARCH_H_
#define VLMC_MODELS_RATECONTROL_RATE_SEARCH_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "models/codec/codec.h"
#include "models/image/image.h"

namespace vlmc::ratecontrol {

// How many bits to spend on one image.
struct RateTarget {
  enum class Kind { kQuality, kTargetBpp, kMaxBytes };
  Kind kind = Kind::kQuality;
  // kQuality: the rate parameter in [0, 1]; kTargetBpp: bits per pixel > 0;
  // kMaxBytes: whole-stream bytes >= 1.
  double value = 0.5;
  // Coded resolution (codec::EncodeOptions::downscale): 1, 2 or 4 to use
  // that one only. codec::kAutomaticDownscale: a quality target lets the
  // codec choose per image (least bits + λ(q)·MSE); a bpp or byte target is
  // searched at full resolution first and, while even quality 0 does not
  // fit, at 1/2 and then 1/4 (skipping a factor whose padded latent grid is
  // no smaller than the last one's).
  int downscale = 1;
};

struct RateSearchOptions {
  // Codec runs the search may spend (>= 2).
  int max_passes = 10;
  // Polled before each codec run; returning true aborts with CANCELLED
  // (e.g. a gRPC deadline or client cancel).
  std::function<bool()> should_stop;
};

struct EncodedImage {
  std::string stream;
  double quality = 0.0;  // the rate parameter used
  int downscale = 1;     // the coded resolution used (1, 2 or 4)
  double bpp = 0.0;      // stream bytes * 8 / pixels
  // false when a bpp / byte target could not be met even at quality 0 and
  // the smallest resolution allowed (whose stream is returned then).
  bool target_met = true;
  int passes = 0;  // codec runs spent
};

// Encodes `image` at `target`. A quality target is one codec run. A bpp or
// byte target finds the largest quality whose stream fits, by bisection on
// quality (stream size grows monotonically with quality for the shipped
// models): one run at quality 1 (fits: done), one at 0 (does not fit: with
// an automatic resolution try quality 0, then 1, at the next smaller one;
// else return the smallest stream seen with target_met = false), then
// bisection until max_passes; the best fitting stream seen is returned.
// INVALID_ARGUMENT for targets out of range.
absl::StatusOr<EncodedImage> EncodeAtRate(
    const codec::Codec& codec, const image::Image& image,
    const RateTarget& target, const RateSearchOptions& options = {});

}  // namespace vlmc::ratecontrol

#endif  // VLMC_MODELS_RATECONTROL_RATE_SEARCH_H_
