#ifndef VLMC_MODELS_IMAGE_RESAMPLE_H_
#define VLMC_MODELS_IMAGE_RESAMPLE_H_

// Integer resampling by powers of two, for coding an image at a reduced
// resolution (FORMAT.md, format 3). The upsampler is part of the decoder, so
// it is specified exactly and computed in integers: the same pixels on every
// machine. The downsampler is the encoder's choice and may change.

#include <cstdint>

#include "absl/status/statusor.h"
#include "models/image/image.h"

namespace vlmc::image {

// Fixed-point precision of the upsampling weights (they sum to 2^14).
inline constexpr int kResampleWeightBits = 14;

// Averages each factor x factor block (blocks that run over the right or
// bottom edge repeat the last row/column), rounding to nearest. The result is
// ceil(width / factor) x ceil(height / factor). INVALID_ARGUMENT unless
// `factor` is 1, 2 or 4 and the image is valid.
absl::StatusOr<Image> DownscaleByBlockMean(const Image& image, int factor);

// Upsamples `coded` by `factor` (1, 2 or 4) with the Keys cubic kernel
// (a = -0.5, pixel centres aligned: output x samples input (x + 0.5) / factor
// - 0.5, edges repeated) and crops to width x height, which must be at most
// factor times the coded size and more than factor times one pixel less.
// INVALID_ARGUMENT otherwise.
absl::StatusOr<Image> UpscaleCubic(const Image& coded, int factor, int width,
                                   int height);

}  // namespace vlmc::image

#endif  // VLMC_MODELS_IMAGE_RESAMPLE_H_
