#include "client/encoder_flags.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "models/bitstream/y_substreams.h"

namespace vlmc::cli {

std::vector<Flags::Spec> EncoderFlags() {
  const codec::RefinementOptions defaults;
  return {{"refine", "0",
           absl::StrCat("encoder-side latent refinement steps (0: off; up to ",
                        codec::kMaxRefinementIterations,
                        "): slower encoding, fewer bits at the same quality, "
                        "same decoder")},
          {"refine-lr", absl::StrCat(defaults.learning_rate),
           "learning rate of the refinement (Adam)"},
          {"downscale", "1",
           "1, 2 or 4: code the image at 1/N of its width and height and "
           "upsample when decoding (about N^2 fewer bits; for rates below "
           "what -q 0 gives; stream format 3); auto: keep, of 1, 2 and 4, the "
           "least bits + lambda(q)*MSE (1 first; 2 and 4 are coded only where "
           "they could win; with --server the server chooses)"},
          {"y-substreams", "auto",
           absl::StrCat(
               "independent rANS substreams of the latent, which decoders "
               "decode in parallel (stream format 4, about 8 bytes each): "
               "auto (one per 2^17 latent symbols, at most 16: a single "
               "stream up to about 0.7 megapixels, 5 for 1920x1080), or 1 "
               "(fewest bytes; format 2/3) to ",
               bitstream::kMaxYSubstreams,
               " (at most the model's latent channels); not with --server")}};
}

absl::StatusOr<codec::EncodeOptions> ParseEncoderFlags(const Flags& flags) {
  codec::EncodeOptions options;
  absl::StatusOr<int64_t> iterations = flags.GetInt("refine");
  if (!iterations.ok()) return iterations.status();
  if (*iterations < 0 || *iterations > codec::kMaxRefinementIterations) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--refine must be in [0, ", codec::kMaxRefinementIterations, "]"));
  }
  absl::StatusOr<double> lr = flags.GetDouble("refine-lr");
  if (!lr.ok()) return lr.status();
  if (!(*lr > 0.0 && *lr <= 1.0))
    return absl::InvalidArgumentError("--refine-lr must be in (0, 1]");
  // Empty: `vlmc encode` decides by the target (RunEncode).
  absl::StatusOr<int> downscale =
      flags.Get("downscale").empty()
          ? 1
          : codec::ParseDownscale(flags.Get("downscale"));
  if (!downscale.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", downscale.status().message()));
  }
  if (*iterations > 0 && !flags.Get("server").empty()) {
    return absl::InvalidArgumentError(
        "--refine runs in this process only; it cannot be combined with "
        "--server");
  }
  options.refinement.iterations = static_cast<int>(*iterations);
  options.refinement.learning_rate = *lr;
  // The noise proxy's rate gradient found better latents than the
  // straight-through one (bench/refine, kodim20).
  options.refinement.noise_rate = true;
  options.downscale = *downscale;
  const std::string substreams = flags.Get("y-substreams");
  if (substreams != "auto") {
    absl::StatusOr<int64_t> count = flags.GetInt("y-substreams");
    if (!count.ok() || *count < 1 || *count > bitstream::kMaxYSubstreams) {
      return absl::InvalidArgumentError(
          absl::StrCat("--y-substreams must be auto or 1 to ",
                       bitstream::kMaxYSubstreams, ", not '", substreams, "'"));
    }
    if (!flags.Get("server").empty()) {
      return absl::InvalidArgumentError(
          "--y-substreams is an option of this process's encoder; with "
          "--server the server chooses");
    }
    options.y_substreams = static_cast<int>(*count);
  }
  return options;
}

}  // namespace vlmc::cli
