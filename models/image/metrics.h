#ifndef VLMC_MODELS_IMAGE_METRICS_H_
#define VLMC_MODELS_IMAGE_METRICS_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "models/image/image.h"

namespace vlmc::image {

// Mean squared error over all pixels and all three channels, in 8-bit units
// (0..65025). INVALID_ARGUMENT if either image is invalid or their sizes
// differ.
absl::StatusOr<double> Mse(const Image& a, const Image& b);

// PSNR in dB with an 8-bit peak: 10 * log10(255^2 / Mse(a, b)). Identical
// images give +infinity (std::numeric_limits<double>::infinity()); callers
// averaging PSNR over a set must handle that. Errors as for Mse.
absl::StatusOr<double> Psnr(const Image& a, const Image& b);

// How far two decodes of one stream are apart, value by value (what
// FORMAT.md promises between synthesis precisions and machines).
struct ValueDifference {
  int max_abs = 0;        // the largest |a - b| over all 8-bit values
  int64_t differing = 0;  // values where a != b
  int64_t total = 0;      // 3 * width * height
};

// Errors as for Mse.
absl::StatusOr<ValueDifference> CompareValues(const Image& a, const Image& b);

}  // namespace vlmc::image

#endif  // VLMC_MODELS_IMAGE_METRICS_H_
