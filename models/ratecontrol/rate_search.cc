#include "models/ratecontrol/rate_search.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "models/ratecontrol/search_util.h"

namespace vlmc::ratecontrol {
namespace {

absl::Status ValidateTarget(const RateTarget& target) {
  if (target.downscale != 0 && target.downscale != 1 && target.downscale != 2 &&
      target.downscale != 4) {
    return absl::InvalidArgumentError(absl::StrCat(
        "downscale ", target.downscale, " is not 0 (automatic), 1, 2 or 4"));
  }
  const double v = target.value;
  switch (target.kind) {
    case RateTarget::Kind::kQuality:
      if (v >= 0.0 && v <= 1.0) return absl::OkStatus();
      return absl::InvalidArgumentError(
          absl::StrCat("quality target ", v, " is outside [0, 1]"));
    case RateTarget::Kind::kTargetBpp:
      if (v > 0.0 && std::isfinite(v)) return absl::OkStatus();
      return absl::InvalidArgumentError(absl::StrCat(
          "bpp target ", v, " must be a finite number of bits per pixel > 0"));
    case RateTarget::Kind::kMaxBytes:
      if (v >= 1.0 && std::isfinite(v)) return absl::OkStatus();
      return absl::InvalidArgumentError(absl::StrCat(
          "byte target ", v, " must be a finite number of bytes >= 1"));
  }
  return absl::InvalidArgumentError("unknown rate target kind");
}

// Whether a stream of `bytes` meets a bpp or byte target.
bool Fits(const RateTarget& target, size_t bytes, const image::Image& image) {
  if (target.kind == RateTarget::Kind::kMaxBytes) return bytes <= target.value;
  return BitsPerPixel(bytes, image) <= target.value;
}

}  // namespace

absl::StatusOr<EncodedImage> EncodeAtRate(const codec::Codec& codec,
                                          const image::Image& image,
                                          const RateTarget& target,
                                          const RateSearchOptions& options) {
  if (absl::Status s = ValidateTarget(target); !s.ok()) return s;
  const bool search = target.kind != RateTarget::Kind::kQuality;
  if (search && options.max_passes < 2) {
    return absl::InvalidArgumentError(absl::StrCat(
        "max_passes ", options.max_passes, " must be >= 2 for a rate search"));
  }
  if (absl::Status s = image::ValidateImage(image); !s.ok()) return s;

  int passes = 0;
  int downscale = target.downscale == 0 ? 1 : target.downscale;
  auto encode = [&](double quality) -> absl::StatusOr<EncodedImage> {
    if (absl::Status s = CheckNotStopped(options.should_stop, passes);
        !s.ok()) {
      return s;
    }
    ++passes;
    codec::EncodeOptions encode_options;
    encode_options.downscale = downscale;
    absl::StatusOr<std::string> stream =
        codec.Compress(image, quality, encode_options);
    if (!stream.ok()) return stream.status();
    EncodedImage out;
    out.bpp = BitsPerPixel(stream->size(), image);
    out.stream = *std::move(stream);
    out.quality = quality;
    out.downscale = downscale;
    out.passes = passes;
    return out;
  };

  if (!search) return encode(target.value);

  absl::StatusOr<EncodedImage> best = encode(1.0);
  if (!best.ok() || Fits(target, best->stream.size(), image)) return best;
  best = encode(0.0);
  if (!best.ok()) return best;
  // Below what the model reaches at this resolution: a smaller one spends
  // about a quarter of the bits.
  while (!Fits(target, best->stream.size(), image) && target.downscale == 0 &&
         downscale < 4 && passes + 2 <= options.max_passes) {
    downscale *= 2;
    best = encode(1.0);
    if (!best.ok() || Fits(target, best->stream.size(), image)) return best;
    best = encode(0.0);
    if (!best.ok()) return best;
  }
  if (!Fits(target, best->stream.size(), image)) {
    best->target_met = false;
    return best;
  }
  // Invariant: `low` fits (its stream is `best`), `high` does not.
  double low = 0.0, high = 1.0;
  while (passes < options.max_passes) {
    const double mid = 0.5 * (low + high);
    absl::StatusOr<EncodedImage> trial = encode(mid);
    if (!trial.ok()) return trial.status();
    if (Fits(target, trial->stream.size(), image)) {
      low = mid;
      best = *std::move(trial);
    } else {
      high = mid;
    }
  }
  best->passes = passes;
  return best;
}

}  // namespace vlmc::ratecontrol
