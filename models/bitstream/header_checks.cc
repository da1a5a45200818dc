#include "models/bitstream/header_checks.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace vlmc::bitstream {
namespace {

bool IsModelIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

}  // namespace

absl::Status CheckHeaderFormat(const StreamHeader& h, absl::StatusCode code) {
  if (h.model_id.empty() || h.model_id.size() > kMaxModelIdLength) {
    return absl::Status(
        code, absl::StrCat("vlmc stream: model id length ", h.model_id.size(),
                           " is outside 1..", kMaxModelIdLength));
  }
  for (size_t i = 0; i < h.model_id.size(); ++i) {
    if (!IsModelIdChar(h.model_id[i])) {
      return absl::Status(
          code, absl::StrCat("vlmc stream: model id byte ", i, " (0x",
                             absl::Hex(static_cast<uint8_t>(h.model_id[i]),
                                       absl::kZeroPad2),
                             ") is not one of [a-z0-9._-]"));
    }
  }
  if (h.width == 0 || h.height == 0) {
    return absl::Status(code, absl::StrCat("vlmc stream: image size ", h.width,
                                           "x", h.height, " has a zero side"));
  }
  if (h.downscale_log2 > kMaxDownscaleLog2) {
    return absl::Status(
        code, absl::StrCat("vlmc stream: downscale 2^", h.downscale_log2,
                           " is above the largest, 2^", kMaxDownscaleLog2));
  }
  if (h.downscale_log2 != 0 && h.format_version < kDownscaleFormatVersion) {
    return absl::Status(
        code, absl::StrCat("vlmc stream: format version ", h.format_version,
                           " cannot carry a reduced coded resolution (needs ",
                           kDownscaleFormatVersion, ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckHeaderLimits(const StreamHeader& h, const Limits& limits) {
  if (h.width > limits.max_width) {
    return absl::InvalidArgumentError(
        absl::StrCat("vlmc stream: width ", h.width,
                     " exceeds limit max_width=", limits.max_width));
  }
  if (h.height > limits.max_height) {
    return absl::InvalidArgumentError(
        absl::StrCat("vlmc stream: height ", h.height,
                     " exceeds limit max_height=", limits.max_height));
  }
  // Both factors are < 2^32, so the product cannot overflow 64 bits.
  const uint64_t pixels = uint64_t{h.width} * h.height;
  if (pixels > limits.max_pixels) {
    return absl::InvalidArgumentError(
        absl::StrCat("vlmc stream: pixel count ", pixels,
                     " exceeds limit max_pixels=", limits.max_pixels));
  }
  return absl::OkStatus();
}

}  // namespace vlmc::bitstream
