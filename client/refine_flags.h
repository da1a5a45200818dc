#ifndef VLMC_CLIENT_REFINE_FLAGS_H_
#define VLMC_CLIENT_REFINE_FLAGS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "client/cli_flags.h"
#include "models/codec/latent_refinement.h"

namespace vlmc::cli {

// --refine and --refine-lr: encoder-side latent refinement for the commands
// that encode here (encode, eval).
std::vector<Flags::Spec> RefineFlags();

// The refinement the flags ask for. INVALID_ARGUMENT for values out of range,
// or for refinement together with --server (it runs in this process only).
absl::StatusOr<codec::RefinementOptions> ParseRefineFlags(const Flags& flags);

}  // namespace vlmc::cli

#endif  // VLMC_CLIENT_REFINE_FLAGS_H_
