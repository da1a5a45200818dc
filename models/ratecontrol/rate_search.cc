#include "models/ratecontrol/rate_search.h"

#include <cmath>
#include <map>

#include "absl/strings/str_cat.h"
#include "models/bitstream/stream_format.h"
#include "models/codec/image_tensor.h"
#include "models/ratecontrol/search_util.h"

namespace vlmc::ratecontrol {
namespace {

absl::Status ValidateTarget(const RateTarget& target) {
  if (target.downscale != codec::kAutomaticDownscale && target.downscale != 1 &&
      target.downscale != 2 && target.downscale != 4) {
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

// Whether coding `image` at 1/`smaller` of its size leaves fewer latents than
// at 1/`larger` (both are padded to the codec's 64-pixel multiple).
bool FewerLatents(const image::Image& image, int larger, int smaller) {
  const auto padded = [](int extent, int factor) {
    return codec::PaddedExtent((extent + factor - 1) / factor);
  };
  return padded(image.width, smaller) * padded(image.height, smaller) <
         padded(image.width, larger) * padded(image.height, larger);
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

  const bool automatic = target.downscale == codec::kAutomaticDownscale;
  int passes = 0;
  std::map<int, codec::AnalyzedImage> analyses;
  // A quality target hands the automatic choice to the codec; a search runs
  // at one resolution at a time.
  int downscale = automatic && search ? 1 : target.downscale;
  auto encode = [&](double quality) -> absl::StatusOr<EncodedImage> {
    if (absl::Status s = CheckNotStopped(options.should_stop, passes);
        !s.ok()) {
      return s;
    }
    ++passes;
    absl::StatusOr<std::string> stream;
    if (downscale == codec::kAutomaticDownscale) {
      codec::EncodeOptions encode_options;
      encode_options.downscale = downscale;
      stream = codec.Compress(image, quality, encode_options);
    } else {
      // The analysis transform runs once per resolution, not once per pass.
      auto analyzed = analyses.find(downscale);
      if (analyzed == analyses.end()) {
        codec::EncodeOptions encode_options;
        encode_options.downscale = downscale;
        absl::StatusOr<codec::AnalyzedImage> made =
            codec.Analyze(image, encode_options);
        if (!made.ok()) return made.status();
        analyzed = analyses.emplace(downscale, *std::move(made)).first;
      }
      stream = codec.CompressAnalyzed(analyzed->second, quality);
    }
    if (!stream.ok()) return stream.status();
    EncodedImage out;
    out.downscale = downscale;
    if (downscale == codec::kAutomaticDownscale) {
      // Only the stream says which resolution the codec chose.
      absl::StatusOr<bitstream::ParsedStream> parsed =
          bitstream::ParseStream(*stream);
      if (!parsed.ok()) return parsed.status();
      out.downscale = 1 << parsed->header.downscale_log2;
    }
    out.bpp = BitsPerPixel(stream->size(), image);
    out.stream = *std::move(stream);
    out.quality = quality;
    out.passes = passes;
    return out;
  };

  if (!search) return encode(target.value);

  absl::StatusOr<EncodedImage> best = encode(1.0);
  if (!best.ok() || Fits(target, best->stream.size(), image)) return best;
  best = encode(0.0);
  if (!best.ok()) return best;
  // Below what the model reaches at this resolution: a smaller one spends
  // about a quarter of the bits (unless padding keeps the latent grid).
  for (int smaller = 2;
       automatic && smaller <= 4 && !Fits(target, best->stream.size(), image) &&
       passes < options.max_passes;
       smaller *= 2) {
    if (!FewerLatents(image, downscale, smaller)) continue;
    const int previous = downscale;
    downscale = smaller;
    absl::StatusOr<EncodedImage> lowest = encode(0.0);
    if (!lowest.ok()) return lowest;
    if (lowest->stream.size() >= best->stream.size()) {
      downscale = previous;
      continue;
    }
    best = *std::move(lowest);
    if (Fits(target, best->stream.size(), image) &&
        passes < options.max_passes) {
      absl::StatusOr<EncodedImage> highest = encode(1.0);
      if (!highest.ok() || Fits(target, highest->stream.size(), image))
        return highest;
    }
  }
  if (!Fits(target, best->stream.size(), image)) {
    best->target_met = false;
    return best;
  }
  absl::StatusOr<EncodedImage> found = BisectQuality<EncodedImage>(
      /*meeting=*/0.0, /*missing=*/1.0, *std::move(best), passes,
      options.max_passes, encode, [&](const EncodedImage& trial) {
        return Fits(target, trial.stream.size(), image);
      });
  if (found.ok()) found->passes = passes;
  return found;
}

}  // namespace vlmc::ratecontrol
