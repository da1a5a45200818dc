#include "bench/bd_rate.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "bench/pchip.h"

namespace vlmc::bench {
namespace {

// Sorts `points` by rate and checks them. `name` is "reference" or "test".
absl::Status SortAndValidate(absl::string_view name,
                             std::vector<RdPoint>& points) {
  if (points.size() < 2) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s curve has %d point(s), needs >= 2", name, points.size()));
  }
  for (const RdPoint& p : points) {
    if (std::isnan(p.bpp) || std::isnan(p.metric)) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s curve has a NaN point (bpp %g, metric %g)", name,
                          p.bpp, p.metric));
    }
    if (!std::isfinite(p.bpp) || !std::isfinite(p.metric)) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s curve has an infinite point (bpp %g, metric %g)",
                          name, p.bpp, p.metric));
    }
    if (p.bpp <= 0) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s curve has non-positive bpp %g (metric %g)", name,
                          p.bpp, p.metric));
    }
  }
  std::sort(points.begin(), points.end(),
            [](const RdPoint& a, const RdPoint& b) { return a.bpp < b.bpp; });
  for (size_t i = 1; i < points.size(); ++i) {
    const RdPoint& lo = points[i - 1];
    const RdPoint& hi = points[i];
    if (hi.bpp == lo.bpp) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s curve has two points at bpp %g", name, hi.bpp));
    }
    if (!(hi.metric > lo.metric)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s curve metric is not increasing with rate: bpp %g has metric %g, "
          "not above %g at bpp %g",
          name, hi.bpp, hi.metric, lo.metric, lo.bpp));
    }
  }
  return absl::OkStatus();
}

// Mean over the overlapping x interval of test(x) - reference(x), each curve
// interpolated with PCHIP. x is the metric and y = ln(bpp), or with
// `rate_on_x` x = ln(bpp) and y the metric.
absl::StatusOr<double> MeanDifference(std::vector<RdPoint> reference,
                                      std::vector<RdPoint> test,
                                      bool rate_on_x) {
  if (absl::Status s = SortAndValidate("reference", reference); !s.ok()) {
    return s;
  }
  if (absl::Status s = SortAndValidate("test", test); !s.ok()) return s;
  auto interpolate = [rate_on_x](const std::vector<RdPoint>& points) {
    std::vector<double> x, y;
    for (const RdPoint& p : points) {
      const double log_rate = std::log(p.bpp);
      x.push_back(rate_on_x ? log_rate : p.metric);
      y.push_back(rate_on_x ? p.metric : log_rate);
    }
    return Pchip::Create(std::move(x), std::move(y));
  };
  absl::StatusOr<Pchip> ref = interpolate(reference);
  if (!ref.ok()) return ref.status();
  absl::StatusOr<Pchip> tst = interpolate(test);
  if (!tst.ok()) return tst.status();
  const double lo = std::max(ref->x_min(), tst->x_min());
  const double hi = std::min(ref->x_max(), tst->x_max());
  if (!(hi > lo)) {
    // Name the ranges in user units: bpp or the metric.
    auto shown = [rate_on_x](double x) { return rate_on_x ? std::exp(x) : x; };
    return absl::FailedPreconditionError(absl::StrFormat(
        "curves do not overlap in %s: reference [%g, %g], test [%g, %g]",
        rate_on_x ? "bpp" : "metric", shown(ref->x_min()), shown(ref->x_max()),
        shown(tst->x_min()), shown(tst->x_max())));
  }
  return (tst->Integrate(lo, hi) - ref->Integrate(lo, hi)) / (hi - lo);
}

}  // namespace

absl::StatusOr<double> BdRate(std::vector<RdPoint> reference,
                              std::vector<RdPoint> test) {
  absl::StatusOr<double> diff = MeanDifference(
      std::move(reference), std::move(test), /*rate_on_x=*/false);
  if (!diff.ok()) return diff.status();
  return std::expm1(*diff) * 100.0;
}

absl::StatusOr<double> BdMetric(std::vector<RdPoint> reference,
                                std::vector<RdPoint> test) {
  return MeanDifference(std::move(reference), std::move(test),
                        /*rate_on_x=*/true);
}

ParetoCurve ParetoFront(std::vector<RdPoint> points) {
  std::stable_sort(
      points.begin(), points.end(),
      [](const RdPoint& a, const RdPoint& b) { return a.bpp < b.bpp; });
  ParetoCurve curve;
  for (const RdPoint& p : points) {
    if (curve.kept.empty() || p.metric > curve.kept.back().metric) {
      curve.kept.push_back(p);
    } else {
      ++curve.dropped;
    }
  }
  return curve;
}

}  // namespace vlmc::bench
