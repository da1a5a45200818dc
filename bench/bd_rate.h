#ifndef VLMC_BENCH_BD_RATE_H_
#define VLMC_BENCH_BD_RATE_H_

#include <vector>

#include "absl/status/statusor.h"

namespace vlmc::bench {

// One operating point of a rate-distortion curve.
struct RdPoint {
  double bpp;     // Bits per pixel, > 0.
  double metric;  // Quality, higher is better (e.g. PSNR in dB).
};

// Bjontegaard delta rate in percent: the average rate difference of `test`
// against `reference` at equal metric (negative: test needs fewer bits).
// log(bpp) is interpolated as a function of the metric with PCHIP, integrated
// exactly over the overlapping metric interval, and the mean log-rate
// difference d is reported as (exp(d) - 1) * 100.
//
// Each curve needs >= 2 points, in any order; after sorting by rate both bpp
// and metric must strictly increase. INVALID_ARGUMENT names the curve and the
// offending point; FAILED_PRECONDITION names both metric ranges when they do
// not overlap.
absl::StatusOr<double> BdRate(std::vector<RdPoint> reference,
                              std::vector<RdPoint> test);

// Bjontegaard delta metric: the average metric difference of `test` against
// `reference` at equal rate (positive: test is better), in metric units. The
// metric is interpolated as a function of log(bpp) the same way, over the
// overlapping rate interval.
absl::StatusOr<double> BdMetric(std::vector<RdPoint> reference,
                                std::vector<RdPoint> test);

// The points of a curve that no cheaper point matches or beats (sorted by
// bpp, each kept point's metric is above every cheaper one's): an encoder
// would never pick the others. Noisy or saturating metrics such as mAP on a
// few dozen images make such dominated points common.
struct ParetoCurve {
  std::vector<RdPoint> kept;
  int dropped = 0;
};
ParetoCurve ParetoFront(std::vector<RdPoint> points);

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_BD_RATE_H_
