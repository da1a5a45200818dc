#ifndef VLMC_MODELS_IMAGE_IMAGE_IO_H_
#define VLMC_MODELS_IMAGE_IMAGE_IO_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "models/image/image.h"

namespace vlmc::image {

// Decodes PNG or JPEG, chosen by the leading signature bytes (not by any file
// name). Anything else gives INVALID_ARGUMENT "unsupported image format
// (expected PNG or JPEG)".
absl::StatusOr<Image> DecodeImage(absl::string_view bytes,
                                  const DecodeLimits& limits = {});

// Reads and decodes a PNG or JPEG file. NOT_FOUND (naming the path) if it
// does not exist; decode errors keep their code and are prefixed with the
// path.
absl::StatusOr<Image> ReadImageFile(const std::string& path,
                                    const DecodeLimits& limits = {});

// Encodes `image` as PNG and writes it to `path`, replacing any file there.
absl::Status WritePngFile(const Image& image, const std::string& path);

}  // namespace vlmc::image

#endif  // VLMC_MODELS_IMAGE_IMAGE_IO_H_
