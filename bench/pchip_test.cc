#include "bench/pchip.h"

#include <cmath>

#include "gtest/gtest.h"

namespace vlmc::bench {
namespace {

TEST(PchipBdTest, HandComputedSlopesAndIntegral) {
  // x = 0,1,2, y = 0,1,3: h = 1,1, secants m = 1,2.
  // Interior: w1 = w2 = 3, d1 = 6 / (3/1 + 3/2) = 4/3.
  // Ends: d0 = ((2+1)*1 - 1*2)/2 = 1/2, d2 = ((2+1)*2 - 1*1)/2 = 5/2.
  // Hermite segment integral: h (y0+y1)/2 + h^2 (d0-d1)/12, so
  // (1/2 - 5/72) + (2 - 7/72) = 7/3.
  absl::StatusOr<Pchip> p = Pchip::Create({0, 1, 2}, {0, 1, 3});
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->slopes().size(), 3u);
  EXPECT_NEAR(p->slopes()[0], 0.5, 1e-15);
  EXPECT_NEAR(p->slopes()[1], 4.0 / 3, 1e-15);
  EXPECT_NEAR(p->slopes()[2], 2.5, 1e-15);
  EXPECT_NEAR(p->Integrate(0, 2), 7.0 / 3, 1e-14);
  EXPECT_DOUBLE_EQ(p->Eval(1), 1);
  EXPECT_DOUBLE_EQ(p->Eval(-5), 0);  // Clamped.
  EXPECT_DOUBLE_EQ(p->Eval(9), 3);
}

TEST(PchipBdTest, PartialIntegralMatchesSimpson) {
  absl::StatusOr<Pchip> p = Pchip::Create({28.1, 31.0, 33.7, 37.9, 40.2},
                                          {-2.3, -1.2, -0.4, 0.3, 1.1});
  ASSERT_TRUE(p.ok()) << p.status();
  const double a = 29.3, b = 39.05;
  const int n = 20000;  // Even; Simpson is exact per cubic, error from kinks.
  const double h = (b - a) / n;
  double s = p->Eval(a) + p->Eval(b);
  for (int i = 1; i < n; ++i) s += (i % 2 ? 4 : 2) * p->Eval(a + i * h);
  EXPECT_NEAR(p->Integrate(a, b), s * h / 3, 1e-9);
  EXPECT_NEAR(p->Integrate(a, b) + p->Integrate(b, 40.2), p->Integrate(a, 40.2),
              1e-12);
  EXPECT_EQ(p->Integrate(b, a), 0);
}

TEST(PchipBdTest, MonotoneDataGivesMonotoneInterpolant) {
  absl::StatusOr<Pchip> p =
      Pchip::Create({0, 1, 1.1, 5, 6}, {0, 0.1, 3, 3.2, 10});
  ASSERT_TRUE(p.ok()) << p.status();
  double prev = p->Eval(0);
  for (double x = 0.001; x <= 6; x += 0.001) {
    const double v = p->Eval(x);
    EXPECT_GE(v, prev - 1e-12) << "at x=" << x;
    prev = v;
  }
}

TEST(PchipBdTest, ExtremumGetsZeroSlope) {
  absl::StatusOr<Pchip> p = Pchip::Create({0, 1, 2}, {0, 1, 0});
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->slopes()[1], 0);
}

TEST(PchipBdTest, RejectsBadInput) {
  EXPECT_FALSE(Pchip::Create({0}, {0}).ok());
  EXPECT_FALSE(Pchip::Create({0, 1}, {0}).ok());
  EXPECT_FALSE(Pchip::Create({0, 0}, {0, 1}).ok());
  EXPECT_FALSE(Pchip::Create({1, 0}, {0, 1}).ok());
  EXPECT_FALSE(Pchip::Create({0, NAN}, {0, 1}).ok());
}

}  // namespace
}  // namespace vlmc::bench
