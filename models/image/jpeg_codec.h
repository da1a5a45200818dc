#ifndef VLMC_MODELS_IMAGE_JPEG_CODEC_H_
#define VLMC_MODELS_IMAGE_JPEG_CODEC_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "models/image/image.h"

namespace vlmc::image {

// Decodes a baseline or progressive JPEG to RGB8. Greyscale gives R=G=B.
// CMYK/YCCK is converted with the naive formula R = (1-C)(1-K) (Adobe's
// inverted storage honoured); embedded ICC profiles are ignored. Other
// colour spaces are rejected. Dimensions are checked against `limits`
// before any pixel memory is allocated. Input that ends before all pixel
// data is read gives INVALID_ARGUMENT ("Premature end of JPEG file"), as do
// corrupt headers; libjpeg's recoverable "Corrupt JPEG data" warnings are
// tolerated silently, as most decoders do.
absl::StatusOr<Image> DecodeJpeg(absl::string_view bytes,
                                 const DecodeLimits& limits = {});

// Encodes a valid image as a baseline JFIF JPEG with 4:2:0 chroma
// subsampling. `quality` is libjpeg's 1..100 scale; anything else, or a side
// longer than 65500, gives INVALID_ARGUMENT.
absl::StatusOr<std::string> EncodeJpeg(const Image& image, int quality);

}  // namespace vlmc::image

#endif  // VLMC_MODELS_IMAGE_JPEG_CODEC_H_
