#include "bench/ppm.h"

#include <cctype>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace vlmc::bench {
namespace {

// Reads one decimal header field after whitespace and comments.
absl::StatusOr<int64_t> ReadHeaderNumber(absl::string_view bytes, size_t& pos,
                                         absl::string_view what) {
  for (;;) {
    while (pos < bytes.size() && std::isspace(static_cast<uint8_t>(bytes[pos])))
      ++pos;
    if (pos < bytes.size() && bytes[pos] == '#') {
      while (pos < bytes.size() && bytes[pos] != '\n') ++pos;
      continue;
    }
    break;
  }
  int64_t value = 0;
  const size_t start = pos;
  while (pos < bytes.size() && std::isdigit(static_cast<uint8_t>(bytes[pos]))) {
    value = value * 10 + (bytes[pos] - '0');
    if (value > (1ll << 31)) {
      return absl::InvalidArgumentError(absl::StrCat("PPM ", what, " too big"));
    }
    ++pos;
  }
  if (pos == start) {
    return absl::InvalidArgumentError(absl::StrCat("PPM header: bad ", what));
  }
  return value;
}

}  // namespace

absl::StatusOr<std::string> EncodePpm(const image::Image& image) {
  if (absl::Status s = image::ValidateImage(image); !s.ok()) return s;
  std::string out =
      absl::StrFormat("P6\n%d %d\n255\n", image.width, image.height);
  out.append(reinterpret_cast<const char*>(image.rgb.data()), image.rgb.size());
  return out;
}

absl::StatusOr<image::Image> DecodePpm(absl::string_view bytes,
                                       const image::DecodeLimits& limits) {
  if (bytes.size() < 2 || bytes[0] != 'P' || bytes[1] != '6') {
    return absl::InvalidArgumentError("not a binary PPM (P6) file");
  }
  size_t pos = 2;
  absl::StatusOr<int64_t> width = ReadHeaderNumber(bytes, pos, "width");
  if (!width.ok()) return width.status();
  absl::StatusOr<int64_t> height = ReadHeaderNumber(bytes, pos, "height");
  if (!height.ok()) return height.status();
  absl::StatusOr<int64_t> maxval = ReadHeaderNumber(bytes, pos, "maxval");
  if (!maxval.ok()) return maxval.status();
  if (*maxval != 255) {
    return absl::InvalidArgumentError(
        absl::StrCat("PPM maxval ", *maxval, " unsupported (need 255)"));
  }
  if (pos >= bytes.size() || !std::isspace(static_cast<uint8_t>(bytes[pos]))) {
    return absl::InvalidArgumentError("PPM header not followed by whitespace");
  }
  ++pos;  // Exactly one whitespace byte before the raster.
  if (absl::Status s = image::CheckDecodeLimits("PPM", *width, *height, limits);
      !s.ok()) {
    return s;
  }
  const size_t raster = static_cast<size_t>(*width * *height * 3);
  if (bytes.size() - pos != raster) {
    return absl::InvalidArgumentError(
        absl::StrFormat("PPM %dx%d needs %d raster bytes, file has %d", *width,
                        *height, raster, bytes.size() - pos));
  }
  return image::FromRawRgb(bytes.substr(pos), static_cast<int>(*width),
                           static_cast<int>(*height));
}

}  // namespace vlmc::bench
