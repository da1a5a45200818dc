// libFuzzer target: an uploaded image as the service receives it. DecodeImage
// picks PNG or JPEG by signature and must turn every malformed file into a
// status. The limits are below the defaults only to keep one input's
// allocation small (so the fuzzer stays fast); the checks are the same code.
// An image that decodes but breaks the Image invariants is a decoder bug, so
// it aborts: that is what the fuzzer reports as a finding.

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "models/image/image.h"
#include "models/image/image_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vlmc::image::DecodeLimits limits;
  limits.max_dimension = 4096;
  limits.max_pixels = int64_t{1} << 20;
  absl::StatusOr<vlmc::image::Image> image = vlmc::image::DecodeImage(
      absl::string_view(reinterpret_cast<const char*>(data), size), limits);
  if (image.ok() &&
      (!vlmc::image::ValidateImage(*image).ok() ||
       image->width > limits.max_dimension ||
       image->height > limits.max_dimension ||
       int64_t{image->width} * image->height > limits.max_pixels)) {
    std::abort();
  }
  return 0;
}
