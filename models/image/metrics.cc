#include "models/image/metrics.h"

#include <cmath>
#include <cstdint>
#include <limits>

#include "absl/strings/str_cat.h"

namespace vlmc::image {

absl::StatusOr<double> Mse(const Image& a, const Image& b) {
  if (absl::Status s = ValidateImage(a); !s.ok()) return s;
  if (absl::Status s = ValidateImage(b); !s.ok()) return s;
  if (a.width != b.width || a.height != b.height) {
    return absl::InvalidArgumentError(
        absl::StrCat("image size mismatch: ", a.width, "x", a.height, " vs ",
                     b.width, "x", b.height));
  }
  // Exact integer sum: 65025 per sample leaves room for 2^47 samples.
  uint64_t sum = 0;
  for (size_t i = 0; i < a.rgb.size(); ++i) {
    const int d = int{a.rgb[i]} - int{b.rgb[i]};
    sum += static_cast<uint64_t>(d * d);
  }
  return static_cast<double>(sum) / static_cast<double>(a.rgb.size());
}

absl::StatusOr<double> Psnr(const Image& a, const Image& b) {
  absl::StatusOr<double> mse = Mse(a, b);
  if (!mse.ok()) return mse.status();
  if (*mse == 0.0) return std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(255.0 * 255.0 / *mse);
}

}  // namespace vlmc::image
