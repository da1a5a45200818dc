#ifndef VLMC_BENCH_PPM_H_
#define VLMC_BENCH_PPM_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "models/image/image.h"

namespace vlmc::bench {

// Binary PPM ("P6", maxval 255) of a valid image; INVALID_ARGUMENT otherwise.
absl::StatusOr<std::string> EncodePpm(const image::Image& image);

// Decodes a binary PPM with maxval 255 ('#' comments allowed in the header),
// as written by djpeg -ppm. INVALID_ARGUMENT for other formats, truncated or
// oversized data; dimensions are checked against `limits` first.
absl::StatusOr<image::Image> DecodePpm(absl::string_view bytes,
                                       const image::DecodeLimits& limits = {});

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_PPM_H_
