#include "models/codec/synthesis_precision.h"

#include "absl/strings/str_cat.h"

namespace vlmc::codec {

absl::StatusOr<SynthesisPrecision> ParseSynthesisPrecision(
    absl::string_view name) {
  for (SynthesisPrecision precision :
       {SynthesisPrecision::kFloat32, SynthesisPrecision::kFloat64,
        SynthesisPrecision::kFloat16}) {
    if (name == SynthesisPrecisionName(precision)) return precision;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("synthesis precision \"", name,
                   "\" is none of float32, float64, float16"));
}

std::string SynthesisPrecisionName(SynthesisPrecision precision) {
  switch (precision) {
    case SynthesisPrecision::kFloat32:
      return "float32";
    case SynthesisPrecision::kFloat64:
      return "float64";
    case SynthesisPrecision::kFloat16:
      return "float16";
  }
  return "unknown";
}

}  // namespace vlmc::codec
