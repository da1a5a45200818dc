#ifndef VLMC_MODELS_CODEC_SYNTHESIS_PRECISION_H_
#define VLMC_MODELS_CODEC_SYNTHESIS_PRECISION_H_

// The synthesis precisions and their names, without LibTorch, so that the
// option parsers of the server and the benches check them the codec's way.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vlmc::codec {

// The arithmetic of the synthesis (latents -> pixels). Streams and decoded
// latents are the same in every precision; FORMAT.md ("Pixels") states what
// each one promises about the pixels.
enum class SynthesisPrecision {
  kFloat32,  // the default: fast; within +-1 of kFloat64 in every value
  kFloat64,  // "exact": the same pixels on every machine and thread count
  kFloat16,  // CUDA only
};

// "float32", "float64" or "float16"; INVALID_ARGUMENT naming them otherwise.
absl::StatusOr<SynthesisPrecision> ParseSynthesisPrecision(
    absl::string_view name);
std::string SynthesisPrecisionName(SynthesisPrecision precision);

}  // namespace vlmc::codec

#endif  // VLMC_MODELS_CODEC_SYNTHESIS_PRECISION_H_
