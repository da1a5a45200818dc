#ifndef VLMC_BENCH_PCHIP_H_
#define VLMC_BENCH_PCHIP_H_

#include <vector>

#include "absl/status/statusor.h"

namespace vlmc::bench {

// Piecewise cubic Hermite interpolant with monotonicity-preserving slopes
// (Fritsch-Carlson family, weighted harmonic mean as in Fritsch & Butland
// 1984), the same slopes as scipy.interpolate.PchipInterpolator: the
// interpolant used by current Bjontegaard-delta tools.
class Pchip {
 public:
  // `x` strictly increasing and finite, `y` finite, same size >= 2.
  static absl::StatusOr<Pchip> Create(std::vector<double> x,
                                      std::vector<double> y);

  double x_min() const { return x_.front(); }
  double x_max() const { return x_.back(); }
  const std::vector<double>& slopes() const { return d_; }

  // Value at `x`, clamped to [x_min, x_max].
  double Eval(double x) const;

  // Exact integral of the interpolant over [a, b], a <= b, both clamped to
  // [x_min, x_max].
  double Integrate(double a, double b) const;

 private:
  Pchip(std::vector<double> x, std::vector<double> y, std::vector<double> d)
      : x_(std::move(x)), y_(std::move(y)), d_(std::move(d)) {}

  // Index of the segment [x_k, x_k+1] holding `x` (already clamped).
  size_t Segment(double x) const;
  // Integral of segment `k` from its start to start + t, 0 <= t <= h_k.
  double SegmentIntegral(size_t k, double t) const;

  std::vector<double> x_, y_, d_;
};

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_PCHIP_H_
