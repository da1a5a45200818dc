#include "bench/bd_rate.h"

#include <cmath>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vlmc::bench {
namespace {

using ::testing::HasSubstr;

// A JPEG-like Kodak curve (mean bpp, mean PSNR).
const std::vector<RdPoint> kRef = {
    {0.30, 26.5}, {0.55, 29.6}, {0.95, 32.4}, {1.60, 35.1}};

TEST(BdRateTest, IdenticalCurvesGiveZero) {
  absl::StatusOr<double> r = BdRate(kRef, kRef);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_NEAR(*r, 0, 1e-12);
  absl::StatusOr<double> m = BdMetric(kRef, kRef);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_NEAR(*m, 0, 1e-12);
}

TEST(BdRateTest, RatesScaledByPointNineGiveMinusTenPercent) {
  std::vector<RdPoint> test = kRef;
  for (RdPoint& p : test) p.bpp *= 0.9;
  absl::StatusOr<double> r = BdRate(kRef, test);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_NEAR(*r, -10.0, 1e-9);
  absl::StatusOr<double> back = BdRate(test, kRef);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_NEAR(*back, (1 / 0.9 - 1) * 100, 1e-9);
}

TEST(BdRateTest, OrderOfPointsDoesNotMatter) {
  std::vector<RdPoint> shuffled = {kRef[2], kRef[0], kRef[3], kRef[1]};
  std::vector<RdPoint> test = kRef;
  for (RdPoint& p : test) p.bpp *= 1.2;
  absl::StatusOr<double> a = BdRate(kRef, test);
  absl::StatusOr<double> b = BdRate(shuffled, test);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_DOUBLE_EQ(*a, *b);
}

TEST(BdRateTest, MetricShiftGivesExactBdMetric) {
  std::vector<RdPoint> test = kRef;
  for (RdPoint& p : test) p.metric += 0.5;
  absl::StatusOr<double> m = BdMetric(kRef, test);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_NEAR(*m, 0.5, 1e-9);
}

// Two points per curve make PCHIP a straight line in (metric, ln bpp).
// Reference: ln bpp = (m - 30) / 10 on [30, 40].
// Test:      ln bpp = -0.5 + (m - 32) / 6 on [32, 38].
// Over the overlap [32, 38] the mean of a line is its value at the midpoint
// 35: reference 0.5, test 0. So BD-rate = (e^-0.5 - 1) * 100.
// BD-metric, metric as a function of L = ln bpp: reference m = 30 + 10 L on
// [0, 1], test m = 35 + 6 L on [-0.5, 0.5]; overlap [0, 0.5], midpoint 0.25:
// reference 32.5, test 36.5, so +4 dB.
TEST(BdRateTest, HandCheckedLinearPartialOverlap) {
  const std::vector<RdPoint> ref = {{1.0, 30}, {std::exp(1.0), 40}};
  const std::vector<RdPoint> test = {{std::exp(-0.5), 32}, {std::exp(0.5), 38}};
  absl::StatusOr<double> r = BdRate(ref, test);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_NEAR(*r, (std::exp(-0.5) - 1) * 100, 1e-12);  // -39.3469...
  absl::StatusOr<double> m = BdMetric(ref, test);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_NEAR(*m, 4.0, 1e-12);
}

// Reference ln bpp = 0, 1, 3 at metric 30, 31, 32: by the slopes worked out in
// pchip_test (1/2, 4/3, 5/2) its integral over [30, 32] is 7/3, mean 7/6.
// Test is the line ln bpp = m - 30 (mean 1). BD-rate = (e^(1 - 7/6) - 1)*100.
TEST(BdRateTest, HandCheckedCubicSegments) {
  const std::vector<RdPoint> ref = {
      {1.0, 30}, {std::exp(1.0), 31}, {std::exp(3.0), 32}};
  const std::vector<RdPoint> test = {{1.0, 30}, {std::exp(2.0), 32}};
  absl::StatusOr<double> r = BdRate(ref, test);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_NEAR(*r, std::expm1(-1.0 / 6) * 100, 1e-12);  // -15.3518...
}

// Densely sampled smooth curves: PCHIP must converge to the analytic integral.
// Reference ln bpp = 0.1 u + 0.002 u^2, test ln bpp = 0.08 u, u = m - 30 on
// [0, 10]. Mean difference = (1/10) * int_0^10 (-0.02 u - 0.002 u^2) du
// = -(1 + 2/3) / 10 = -1/6.
TEST(BdRateTest, DenseSamplingMatchesAnalyticIntegral) {
  std::vector<RdPoint> ref, test;
  for (int i = 0; i <= 40; ++i) {
    const double u = i * 0.25;
    ref.push_back({std::exp(0.1 * u + 0.002 * u * u), 30 + u});
    test.push_back({std::exp(0.08 * u), 30 + u});
  }
  absl::StatusOr<double> r = BdRate(ref, test);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_NEAR(*r, std::expm1(-1.0 / 6) * 100, 1e-4);
}

// The three example curve pairs shipped with the FAU-LMS "bjontegaard" Python
// package (rates in kbps: BD-rate is scale-free). Expected values computed
// independently with scipy 1.10.1 PchipInterpolator(...).integrate() using
// log10 rates, as that package's bd_piecewise_cubic does.
TEST(BdRateTest, MatchesScipyPchipReference) {
  struct Case {
    std::vector<RdPoint> ref, test;
    double bd_rate, bd_psnr;
  };
  const Case cases[] = {
      {{{9487.76, 40.037},
        {4593.60, 38.615},
        {2486.44, 36.845},
        {1358.24, 34.851}},
       {{9787.80, 40.121},
        {4469.00, 38.651},
        {2451.52, 36.970},
        {1356.24, 34.987}},
       -4.417485350589045,
       0.11969278542479489},
      {{{82472.76, 43.825},
        {26875.24, 41.404},
        {9487.76, 40.037},
        {4593.6, 38.615}},
       {{99896.96, 44.731},
        {33952.04, 41.875},
        {9787.8, 40.121},
        {4469.0, 38.651}},
       -4.47218200276197,
       0.08887484704747745},
      {{{82472.76, 43.825},
        {26875.24, 41.404},
        {9487.76, 40.037},
        {4593.6, 38.615},
        {3600, 36.5},
        {2900, 35.1}},
       {{99896.96, 44.731},
        {33952.04, 41.875},
        {9787.8, 40.121},
        {4469.0, 38.651},
        {4040, 37},
        {3300, 36.5}},
       -2.9528024116427964,
       0.08953590194998828},
  };
  for (const Case& c : cases) {
    absl::StatusOr<double> r = BdRate(c.ref, c.test);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_NEAR(*r, c.bd_rate, 1e-9);
    absl::StatusOr<double> m = BdMetric(c.ref, c.test);
    ASSERT_TRUE(m.ok()) << m.status();
    EXPECT_NEAR(*m, c.bd_psnr, 1e-9);
  }
}

TEST(BdRateTest, NonOverlappingCurvesFail) {
  const std::vector<RdPoint> ref = {{0.2, 30}, {0.5, 35}};
  const std::vector<RdPoint> test = {{0.8, 36}, {1.5, 40}};
  absl::StatusOr<double> r = BdRate(ref, test);
  ASSERT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(r.status().message(), HasSubstr("reference [30, 35]"));
  EXPECT_THAT(r.status().message(), HasSubstr("test [36, 40]"));
  absl::StatusOr<double> m = BdMetric(ref, test);
  ASSERT_EQ(m.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(m.status().message(), HasSubstr("reference [0.2, 0.5]"));
  EXPECT_THAT(m.status().message(), HasSubstr("test [0.8, 1.5]"));
}

void ExpectInvalid(std::vector<RdPoint> ref, std::vector<RdPoint> test,
                   const std::string& needle) {
  absl::StatusOr<double> r = BdRate(ref, test);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr(needle));
  absl::StatusOr<double> m = BdMetric(ref, test);
  EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(m.status().message(), HasSubstr(needle));
}

TEST(BdRateTest, RejectsBadInputs) {
  ExpectInvalid({{0.5, 30}}, kRef, "reference curve has 1 point(s)");
  ExpectInvalid(kRef, {}, "test curve has 0 point(s)");
  ExpectInvalid(kRef, {{0.0, 30}, {1, 35}}, "test curve has non-positive bpp");
  ExpectInvalid({{-1, 30}, {1, 35}}, kRef,
                "reference curve has non-positive bpp");
  ExpectInvalid(kRef, {{NAN, 30}, {1, 35}}, "test curve has a NaN point");
  ExpectInvalid(kRef, {{0.5, NAN}, {1, 35}}, "test curve has a NaN point");
  ExpectInvalid(kRef, {{0.5, INFINITY}, {1, 35}}, "infinite");
  ExpectInvalid({{0.5, 30}, {1, 29}, {2, 35}}, kRef,
                "reference curve metric is not increasing with rate: bpp 1 "
                "has metric 29, not above 30 at bpp 0.5");
  ExpectInvalid(kRef, {{0.5, 30}, {0.5, 31}}, "test curve has two points");
}

TEST(BdRateTest, ParetoFrontDropsPointsNoBetterThanACheaperOne) {
  const ParetoCurve curve =
      ParetoFront({{0.8, 0.6}, {0.2, 0.3}, {0.4, 0.2}, {0.6, 0.3}, {1.0, 0.7}});
  ASSERT_EQ(curve.kept.size(), 3u);
  EXPECT_EQ(curve.kept[0].bpp, 0.2);
  EXPECT_EQ(curve.kept[1].bpp, 0.8);
  EXPECT_EQ(curve.kept[2].bpp, 1.0);
  EXPECT_EQ(curve.dropped, 2);
}

}  // namespace
}  // namespace vlmc::bench
