#include "models/bitstream/stream_format.h"

#include <cmath>

#include "models/bitstream/header_checks.h"

namespace vlmc::bitstream {

absl::Status ValidateHeader(const StreamHeader& h, const Limits& limits) {
  absl::Status status =
      CheckHeaderFormat(h, absl::StatusCode::kInvalidArgument);
  if (!status.ok()) return status;
  return CheckHeaderLimits(h, limits);
}

uint16_t QualityToCode(double quality) {
  // !(q > 0) also catches NaN, which std::clamp would pass through.
  if (!(quality > 0.0)) return 0;
  if (quality >= 1.0) return 65535;
  return static_cast<uint16_t>(std::lround(quality * 65535.0));
}

double CodeToQuality(uint16_t code) { return code / 65535.0; }

}  // namespace vlmc::bitstream
