#include "models/image/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>

#include "absl/strings/str_cat.h"

namespace vlmc::image {

namespace {

absl::Status CheckComparable(const Image& a, const Image& b) {
  if (absl::Status s = ValidateImage(a); !s.ok()) return s;
  if (absl::Status s = ValidateImage(b); !s.ok()) return s;
  if (a.width != b.width || a.height != b.height) {
    return absl::InvalidArgumentError(
        absl::StrCat("image size mismatch: ", a.width, "x", a.height, " vs ",
                     b.width, "x", b.height));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<double> Mse(const Image& a, const Image& b) {
  if (absl::Status s = CheckComparable(a, b); !s.ok()) return s;
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

absl::StatusOr<ValueDifference> CompareValues(const Image& a, const Image& b) {
  if (absl::Status s = CheckComparable(a, b); !s.ok()) return s;
  ValueDifference difference;
  difference.total = static_cast<int64_t>(a.rgb.size());
  for (size_t i = 0; i < a.rgb.size(); ++i) {
    const int d = std::abs(int{a.rgb[i]} - int{b.rgb[i]});
    difference.differing += d != 0;
    difference.max_abs = std::max(difference.max_abs, d);
  }
  return difference;
}

}  // namespace vlmc::image
