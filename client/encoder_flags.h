#ifndef VLMC_CLIENT_ENCODER_FLAGS_H_
#define VLMC_CLIENT_ENCODER_FLAGS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "models/codec/codec.h"
#include "models/util/cli_flags.h"

namespace vlmc::cli {

// --refine, --refine-lr and --downscale: encoder options for the commands
// that encode here (encode, eval).
std::vector<Flags::Spec> EncoderFlags();

// The encoder options the flags ask for. INVALID_ARGUMENT for values out of
// range, or for refinement together with --server (it runs in this process
// only; --downscale goes to the server as rate.resolution).
absl::StatusOr<codec::EncodeOptions> ParseEncoderFlags(const Flags& flags);

}  // namespace vlmc::cli

#endif  // VLMC_CLIENT_ENCODER_FLAGS_H_
