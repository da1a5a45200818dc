#ifndef VLMC_MODELS_BITSTREAM_HEADER_CHECKS_H_
#define VLMC_MODELS_BITSTREAM_HEADER_CHECKS_H_

// Header checks shared by the writer and the reader (internal). The writer
// reports format violations as INVALID_ARGUMENT (caller's bad input), the
// reader as DATA_LOSS (a corrupt stream), so the code is a parameter.

#include "absl/status/status.h"
#include "models/bitstream/stream_format.h"

namespace vlmc::bitstream {

// Bits of the flags byte that hold StreamHeader::downscale_log2 (format 3).
inline constexpr uint8_t kDownscaleFlagMask = 0x03;

// Model id syntax, non-zero dimensions and a coded resolution the version
// allows; failures carry `code`.
absl::Status CheckHeaderFormat(const StreamHeader& h, absl::StatusCode code);

// Width, height and pixel-count limits; failures are INVALID_ARGUMENT.
absl::Status CheckHeaderLimits(const StreamHeader& h, const Limits& limits);

}  // namespace vlmc::bitstream

#endif  // VLMC_MODELS_BITSTREAM_HEADER_CHECKS_H_
