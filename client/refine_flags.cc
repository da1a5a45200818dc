#include "client/refine_flags.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace vlmc::cli {

std::vector<Flags::Spec> RefineFlags() {
  const codec::RefinementOptions defaults;
  return {{"refine", "0",
           absl::StrCat("encoder-side latent refinement steps (0: off; up to ",
                        codec::kMaxRefinementIterations,
                        "): slower encoding, fewer bits at the same quality, "
                        "same decoder")},
          {"refine-lr", absl::StrCat(defaults.learning_rate),
           "learning rate of the refinement (Adam)"}};
}

absl::StatusOr<codec::RefinementOptions> ParseRefineFlags(const Flags& flags) {
  codec::RefinementOptions options;
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
  if (*iterations > 0 && !flags.Get("server").empty()) {
    return absl::InvalidArgumentError(
        "--refine runs in this process only; it cannot be combined with "
        "--server");
  }
  options.iterations = static_cast<int>(*iterations);
  options.learning_rate = *lr;
  // The noise proxy's rate gradient found better latents than the
  // straight-through one (bench/refine, kodim20).
  options.noise_rate = true;
  return options;
}

}  // namespace vlmc::cli
