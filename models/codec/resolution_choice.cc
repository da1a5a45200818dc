// Codec::CompressAtBestResolution: the encoder's choice of coded resolution
// by rate–distortion cost (EncodeOptions::downscale = kAutomaticDownscale).

#include <limits>

#include "absl/strings/str_cat.h"
#include "models/bitstream/stream_format.h"
#include "models/codec/codec.h"
#include "models/codec/latent_refinement.h"
#include "models/image/metrics.h"
#include "models/image/resample.h"

namespace vlmc::codec {

absl::StatusOr<int> ParseDownscale(absl::string_view text) {
  if (text == "auto") return kAutomaticDownscale;
  for (int factor : {1, 2, 4}) {
    if (text == absl::StrCat(factor)) return factor;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("downscale '", text, "' is not 1, 2, 4 or auto"));
}

std::string DownscaleName(int downscale) {
  return downscale == kAutomaticDownscale ? "auto" : absl::StrCat(downscale);
}

absl::StatusOr<std::string> Codec::CompressAtBestResolution(
    const image::Image& image, double quality,
    const EncodeOptions& options) const {
  // The λ the model was trained with at the quality the stream will carry,
  // so the comparison uses the same trade-off as the transforms themselves.
  const double lambda = LambdaForQuality(
      config_, bitstream::CodeToQuality(bitstream::QualityToCode(quality)));
  const double pixels = static_cast<double>(image.width) * image.height;
  std::string best;
  double best_cost = std::numeric_limits<double>::infinity();
  // Full resolution first: at high qualities its cost rules the smaller ones
  // out without coding them.
  for (int downscale : {1, 2, 4}) {
    if (downscale > 1) {
      // A decode at 1/downscale is the decoder's upsampling of a coded copy
      // of the block means; in practice it lands no closer to the image than
      // the upsampled block means themselves, so λ times their distortion
      // bounds the candidate's cost from below at a small fraction of the
      // work of coding it. (Not a proof: vlmc-encode-passes-bench compares
      // the choice with coding all three; on Kodak it agreed in 168 of 168
      // cases, bench/results/encode_passes.txt.)
      absl::StatusOr<image::Image> means =
          image::DownscaleByBlockMean(image, downscale);
      if (!means.ok()) return means.status();
      absl::StatusOr<image::Image> upsampled =
          image::UpscaleCubic(*means, downscale, image.width, image.height);
      if (!upsampled.ok()) return upsampled.status();
      absl::StatusOr<double> floor = image::Mse(image, *upsampled);
      if (!floor.ok()) return floor.status();
      if (lambda * *floor >= best_cost) continue;
    }
    EncodeOptions fixed = options;
    fixed.downscale = downscale;
    absl::StatusOr<AnalyzedImage> analyzed = Analyze(image, fixed);
    if (!analyzed.ok()) return analyzed.status();
    absl::StatusOr<std::string> stream = CompressAnalyzed(*analyzed, quality);
    if (!stream.ok()) return stream.status();
    absl::StatusOr<image::Image> decoded = Decompress(*stream);
    if (!decoded.ok()) return decoded.status();
    absl::StatusOr<double> mse = image::Mse(image, *decoded);
    if (!mse.ok()) return mse.status();
    const double cost = stream->size() * 8.0 / pixels + lambda * *mse;
    if (cost < best_cost) {
      best_cost = cost;
      best = *std::move(stream);
    }
  }
  return best;
}

}  // namespace vlmc::codec
