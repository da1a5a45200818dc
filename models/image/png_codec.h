#ifndef VLMC_MODELS_IMAGE_PNG_CODEC_H_
#define VLMC_MODELS_IMAGE_PNG_CODEC_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "models/image/image.h"

namespace vlmc::image {

// Decodes any PNG (1-16 bit grey, grey+alpha, palette, RGB, RGBA; interlaced
// or not) to RGB8. Alpha and tRNS transparency are dropped, not composited;
// gamma and colour-profile chunks are ignored; 16-bit samples are rounded
// to 8 bits. Dimensions are checked against `limits` before pixel memory is
// allocated. Corrupt, truncated or too large input gives INVALID_ARGUMENT.
// Data after the last image row (e.g. a missing IEND) is not read.
absl::StatusOr<Image> DecodePng(absl::string_view bytes,
                                const DecodeLimits& limits = {});

// Encodes a valid image as an 8-bit RGB, non-interlaced PNG with libpng's
// default compression settings.
absl::StatusOr<std::string> EncodePng(const Image& image);

}  // namespace vlmc::image

#endif  // VLMC_MODELS_IMAGE_PNG_CODEC_H_
