#ifndef VLMC_MODELS_IMAGE_IMAGE_H_
#define VLMC_MODELS_IMAGE_IMAGE_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vlmc::image {

// An 8-bit RGB image, interleaved and row-major: pixel (x, y) channel c is
// rgb[(y * width + x) * 3 + c]. A valid image has width, height > 0 and
// rgb.size() == width * height * 3.
struct Image {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgb;
};

// Bounds applied to the dimensions a file declares, checked before any
// pixel memory is allocated, so hostile headers cannot exhaust memory.
struct DecodeLimits {
  int max_dimension = 16384;       // Per side.
  int64_t max_pixels = 1ll << 27;  // width * height.
};

// Copies `bytes` (interleaved RGB8, row-major) into an Image. INVALID_ARGUMENT
// unless width, height > 0 and bytes.size() == width * height * 3.
absl::StatusOr<Image> FromRawRgb(absl::string_view bytes, int width,
                                 int height);

// OK iff `image` is valid (see Image); otherwise INVALID_ARGUMENT.
absl::Status ValidateImage(const Image& image);

// OK iff a `format` image of width x height fits `limits`; otherwise
// INVALID_ARGUMENT naming the exceeded limit.
absl::Status CheckDecodeLimits(absl::string_view format, int64_t width,
                               int64_t height, const DecodeLimits& limits);

}  // namespace vlmc::image

#endif  // VLMC_MODELS_IMAGE_IMAGE_H_
