#include "bench/pchip.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"

namespace vlmc::bench {
namespace {

int Sign(double v) { return (v > 0) - (v < 0); }

// One-sided three-point end slope, clipped to keep the end monotone
// (scipy's PchipInterpolator._edge_case).
double EdgeSlope(double h0, double h1, double m0, double m1) {
  double d = ((2 * h0 + h1) * m0 - h0 * m1) / (h0 + h1);
  if (Sign(d) != Sign(m0)) return 0;
  if (Sign(m0) != Sign(m1) && std::abs(d) > std::abs(3 * m0)) return 3 * m0;
  return d;
}

}  // namespace

absl::StatusOr<Pchip> Pchip::Create(std::vector<double> x,
                                    std::vector<double> y) {
  const size_t n = x.size();
  if (n < 2 || y.size() != n) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "pchip needs >= 2 points with matching sizes, got %d x and %d y",
        x.size(), y.size()));
  }
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) {
      return absl::InvalidArgumentError(
          absl::StrFormat("pchip point %d is not finite", i));
    }
    if (i > 0 && !(x[i] > x[i - 1])) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "pchip x not strictly increasing at point %d (%g after %g)", i, x[i],
          x[i - 1]));
    }
  }
  std::vector<double> h(n - 1), m(n - 1), d(n);
  for (size_t k = 0; k + 1 < n; ++k) {
    h[k] = x[k + 1] - x[k];
    m[k] = (y[k + 1] - y[k]) / h[k];
  }
  if (n == 2) {
    d[0] = d[1] = m[0];  // Straight line.
  } else {
    for (size_t k = 1; k + 1 < n; ++k) {
      if (m[k - 1] == 0 || m[k] == 0 || Sign(m[k - 1]) != Sign(m[k])) {
        d[k] = 0;  // Local extremum or flat: keep the interpolant monotone.
      } else {
        const double w1 = 2 * h[k] + h[k - 1];
        const double w2 = h[k] + 2 * h[k - 1];
        d[k] = (w1 + w2) / (w1 / m[k - 1] + w2 / m[k]);
      }
    }
    d[0] = EdgeSlope(h[0], h[1], m[0], m[1]);
    d[n - 1] = EdgeSlope(h[n - 2], h[n - 3], m[n - 2], m[n - 3]);
  }
  return Pchip(std::move(x), std::move(y), std::move(d));
}

size_t Pchip::Segment(double x) const {
  const auto it = std::upper_bound(x_.begin(), x_.end(), x);
  const size_t i = static_cast<size_t>(it - x_.begin());
  return std::min(i == 0 ? 0 : i - 1, x_.size() - 2);
}

// On segment k with t = x - x_k and h = x_k+1 - x_k:
//   p(t) = y_k + d_k t + c2 t^2 + c3 t^3,
//   c2 = (3 m - 2 d_k - d_k+1) / h,  c3 = (d_k + d_k+1 - 2 m) / h^2.
double Pchip::Eval(double x) const {
  x = std::clamp(x, x_min(), x_max());
  const size_t k = Segment(x);
  const double h = x_[k + 1] - x_[k];
  const double m = (y_[k + 1] - y_[k]) / h;
  const double c2 = (3 * m - 2 * d_[k] - d_[k + 1]) / h;
  const double c3 = (d_[k] + d_[k + 1] - 2 * m) / (h * h);
  const double t = x - x_[k];
  return y_[k] + t * (d_[k] + t * (c2 + t * c3));
}

double Pchip::SegmentIntegral(size_t k, double t) const {
  const double h = x_[k + 1] - x_[k];
  const double m = (y_[k + 1] - y_[k]) / h;
  const double c2 = (3 * m - 2 * d_[k] - d_[k + 1]) / h;
  const double c3 = (d_[k] + d_[k + 1] - 2 * m) / (h * h);
  return t * (y_[k] + t * (d_[k] / 2 + t * (c2 / 3 + t * c3 / 4)));
}

double Pchip::Integrate(double a, double b) const {
  a = std::clamp(a, x_min(), x_max());
  b = std::clamp(b, x_min(), x_max());
  if (b <= a) return 0;
  const size_t ka = Segment(a), kb = Segment(b);
  // Integral from x_ka to b minus integral from x_ka to a.
  double total = -SegmentIntegral(ka, a - x_[ka]);
  for (size_t k = ka; k < kb; ++k) {
    total += SegmentIntegral(k, x_[k + 1] - x_[k]);
  }
  total += SegmentIntegral(kb, b - x_[kb]);
  return total;
}

}  // namespace vlmc::bench
