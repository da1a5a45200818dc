#include "models/image/image.h"

#include <cstdint>

#include "absl/strings/str_cat.h"

namespace vlmc::image {

absl::StatusOr<Image> FromRawRgb(absl::string_view bytes, int width,
                                 int height) {
  if (width <= 0 || height <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("FromRawRgb: invalid dimensions ", width, "x", height));
  }
  // int * int * 3 fits in int64_t without overflow.
  const int64_t expected = int64_t{width} * height * 3;
  if (static_cast<int64_t>(bytes.size()) != expected) {
    return absl::InvalidArgumentError(
        absl::StrCat("FromRawRgb: got ", bytes.size(), " bytes, expected ",
                     expected, " for ", width, "x", height, " RGB8"));
  }
  Image image;
  image.width = width;
  image.height = height;
  image.rgb.assign(bytes.begin(), bytes.end());
  return image;
}

absl::Status ValidateImage(const Image& image) {
  if (image.width <= 0 || image.height <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid image dimensions ", image.width, "x", image.height));
  }
  const int64_t expected = int64_t{image.width} * image.height * 3;
  if (static_cast<int64_t>(image.rgb.size()) != expected) {
    return absl::InvalidArgumentError(absl::StrCat(
        "image buffer has ", image.rgb.size(), " bytes, expected ", expected,
        " for ", image.width, "x", image.height, " RGB8"));
  }
  return absl::OkStatus();
}

absl::Status CheckDecodeLimits(absl::string_view format, int64_t width,
                               int64_t height, const DecodeLimits& limits) {
  if (width <= 0 || height <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        format, " decode failed: invalid dimensions ", width, "x", height));
  }
  if (width > limits.max_dimension || height > limits.max_dimension) {
    return absl::InvalidArgumentError(
        absl::StrCat(format, " image ", width, "x", height,
                     " exceeds max_dimension ", limits.max_dimension));
  }
  // Both sides are at most INT_MAX here, so the product cannot overflow.
  if (width * height > limits.max_pixels) {
    return absl::InvalidArgumentError(
        absl::StrCat(format, " image ", width, "x", height,
                     " exceeds max_pixels ", limits.max_pixels));
  }
  return absl::OkStatus();
}

}  // namespace vlmc::image
