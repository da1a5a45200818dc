#include "models/entropy/gaussian_table.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "models/entropy/integer_cdf.h"
#include "models/entropy/portable_math.h"

// Compiled with -ffp-contract=off and uses portable_math instead of libm, so
// that the tables are the same integers on every machine (see the header).

namespace vlmc::entropy {
namespace {

constexpr double kInvSqrt2 = 0.70710678118654752440;

int CeilPositive(double x) {
  const int whole = static_cast<int>(x);
  return whole < x ? whole + 1 : whole;
}

// Upper tail of the standard normal, 1 - Phi(t).
double NormalTail(double t) { return 0.5 * PortableErfc(t * kInvSqrt2); }

IntegerCdf BuildGaussianCdf(double scale) {
  const int radius = CeilPositive(scale * GaussianScaleTable::kTailWidth);
  // tail[k] = P(X > k + 0.5); differences of upper tails keep the small
  // probabilities accurate where 1 - Phi would cancel.
  std::vector<double> tail(radius + 1);
  for (int k = 0; k <= radius; ++k) tail[k] = NormalTail((k + 0.5) / scale);
  std::vector<double> pmf(2 * radius + 1);
  pmf[radius] = 1.0 - 2.0 * tail[0];
  for (int k = 1; k <= radius; ++k) {
    const double p = tail[k - 1] - tail[k];
    pmf[radius + k] = p;
    pmf[radius - k] = p;
  }
  absl::StatusOr<IntegerCdf> cdf = BuildIntegerCdf(pmf, -radius);
  // Unreachable: the pmf is finite, non-negative and at most 3073 long.
  if (!cdf.ok()) std::abort();
  return *std::move(cdf);
}

}  // namespace

GaussianScaleTable::GaussianScaleTable(std::vector<double> scales,
                                       std::vector<IntegerCdf> cdfs)
    : scales_(std::move(scales)), cdfs_(std::move(cdfs)) {
  // Scaling by a power of two and flooring are exact in binary floating
  // point, so these integers are the same on every machine.
  for (double s : scales_) {
    fixed_point_thresholds_.push_back(
        static_cast<int64_t>(std::floor(std::ldexp(s, kFixedPointScaleBits))));
  }
}

GaussianScaleTable* GaussianScaleTable::Build() {
  const double log_min = PortableLog(kMinScale);
  const double log_max = PortableLog(kMaxScale);
  std::vector<double> scales(kNumScales);
  std::vector<IntegerCdf> cdfs(kNumScales);
  for (int i = 0; i < kNumScales; ++i) {
    scales[i] =
        PortableExp(log_min + (log_max - log_min) * i / (kNumScales - 1));
    cdfs[i] = BuildGaussianCdf(scales[i]);
  }
  return new GaussianScaleTable(std::move(scales), std::move(cdfs));
}

const GaussianScaleTable& GaussianScaleTable::Default() {
  static const GaussianScaleTable* const table = Build();
  return *table;
}

int GaussianScaleTable::Clamp(int index) const {
  return std::clamp(index, 0, size() - 1);
}

double GaussianScaleTable::scale(int index) const {
  return scales_[Clamp(index)];
}

const IntegerCdf& GaussianScaleTable::cdf(int index) const {
  return cdfs_[Clamp(index)];
}

int GaussianScaleTable::IndexForScale(float scale) const {
  if (scale != scale) return size() - 1;
  const auto it = std::lower_bound(scales_.begin(), scales_.end(),
                                   static_cast<double>(scale));
  return Clamp(static_cast<int>(it - scales_.begin()));
}

int GaussianScaleTable::IndexForFixedPointScale(int64_t scale) const {
  const auto it = std::lower_bound(fixed_point_thresholds_.begin(),
                                   fixed_point_thresholds_.end(), scale);
  return Clamp(static_cast<int>(it - fixed_point_thresholds_.begin()));
}

}  // namespace vlmc::entropy
