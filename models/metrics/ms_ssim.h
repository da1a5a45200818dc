#ifndef VLMC_MODELS_METRICS_MS_SSIM_H_
#define VLMC_MODELS_METRICS_MS_SSIM_H_

#include "absl/status/statusor.h"
#include "models/image/image.h"

namespace vlmc::metrics {

// The smallest width and height MsSsim accepts: after four halvings the
// image must still hold one 11x11 window (ceil(161 / 16) = 11).
inline constexpr int kMsSsimMinSide = 161;

// Multi-scale SSIM (Wang, Simoncelli, Bovik, "Multi-scale structural
// similarity for image quality assessment", Asilomar 2003) of `test` against
// `reference`, as their reference MATLAB code computes it on one plane:
// - 5 scales with exponents 0.0448, 0.2856, 0.3001, 0.2363, 0.1333;
// - an 11x11 Gaussian window (sigma 1.5, normalised), "valid" positions only;
// - K1 = 0.01, K2 = 0.03 on an 8-bit range L = 255;
// - between scales, a 2x2 box filter with symmetric extension, keeping every
//   second pixel (an odd side n becomes ceil(n / 2));
// - the contrast-structure term of scales 1..4 and the full SSIM of scale 5,
//   each the mean over its map, clamped at 0 before the exponent (as
//   pytorch_msssim does, so a negative correlation cannot flip the sign).
// Colour: computed on each of R, G and B separately and averaged (the
// convention of CompressAI's evaluations). 1 for identical images, lower is
// worse, at most 1 (up to rounding).
// INVALID_ARGUMENT for invalid images, different sizes, or a side below
// kMsSsimMinSide.
absl::StatusOr<double> MsSsim(const image::Image& reference,
                              const image::Image& test);

}  // namespace vlmc::metrics

#endif  // VLMC_MODELS_METRICS_MS_SSIM_H_
