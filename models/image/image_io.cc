#include "models/image/image_io.h"

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "models/image/jpeg_codec.h"
#include "models/image/png_codec.h"

namespace vlmc::image {
namespace {

constexpr absl::string_view kPngSignature("\x89PNG\r\n\x1a\n", 8);
constexpr absl::string_view kJpegSignature("\xff\xd8\xff", 3);

// Status for a failed open/read/write; `errno_value` may be 0 when the
// stream library did not set it.
absl::Status FileError(int errno_value, absl::string_view what,
                       const std::string& path) {
  const std::string message = absl::StrCat(
      what, " ", path,
      errno_value != 0
          ? absl::StrCat(": ", std::generic_category().message(errno_value))
          : "");
  if (errno_value == ENOENT) return absl::NotFoundError(message);
  if (errno_value == EACCES || errno_value == EPERM) {
    return absl::PermissionDeniedError(message);
  }
  if (errno_value == EISDIR) return absl::InvalidArgumentError(message);
  return absl::UnavailableError(message);
}

}  // namespace

absl::StatusOr<Image> DecodeImage(absl::string_view bytes,
                                  const DecodeLimits& limits) {
  if (absl::StartsWith(bytes, kPngSignature)) return DecodePng(bytes, limits);
  if (absl::StartsWith(bytes, kJpegSignature)) return DecodeJpeg(bytes, limits);
  return absl::InvalidArgumentError(
      "unsupported image format (expected PNG or JPEG)");
}

absl::StatusOr<Image> ReadImageFile(const std::string& path,
                                    const DecodeLimits& limits) {
  // A directory opens fine as an ifstream on Linux and reads as empty.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return FileError(EISDIR, "cannot read image file", path);
  }
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) return FileError(errno, "cannot open image file", path);
  const std::string bytes{std::istreambuf_iterator<char>(in),
                          std::istreambuf_iterator<char>()};
  absl::StatusOr<Image> image = DecodeImage(bytes, limits);
  if (!image.ok()) {
    return absl::Status(image.status().code(),
                        absl::StrCat(path, ": ", image.status().message()));
  }
  return image;
}

absl::Status WritePngFile(const Image& image, const std::string& path) {
  absl::StatusOr<std::string> png = EncodePng(image);
  if (!png.ok()) return png.status();
  errno = 0;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return FileError(errno, "cannot open for writing", path);
  out.write(png->data(), static_cast<std::streamsize>(png->size()));
  out.close();
  if (!out) return FileError(errno, "cannot write", path);
  return absl::OkStatus();
}

}  // namespace vlmc::image
