#include "models/entropy/portable_math.h"

#include <cmath>
#include <limits>

#include "gtest/gtest.h"

namespace vlmc::entropy {
namespace {

// libm is fine here: it is only the reference.
double RelativeError(double got, double want) {
  return std::fabs(got - want) / std::fabs(want);
}

TEST(PortableMathTest, ExpMatchesLibm) {
  for (double x = -700.0; x <= 700.0; x += 0.0137) {
    ASSERT_LT(RelativeError(PortableExp(x), std::exp(x)), 2e-15) << x;
  }
  EXPECT_EQ(PortableExp(0.0), 1.0);
  EXPECT_EQ(PortableExp(-800.0), 0.0);
  EXPECT_TRUE(std::isinf(PortableExp(800.0)));
  EXPECT_TRUE(std::isnan(PortableExp(std::nan(""))));
}

TEST(PortableMathTest, LogMatchesLibm) {
  for (double x = 1e-300; x < 1e300; x *= 1.37) {
    ASSERT_LT(std::fabs(PortableLog(x) - std::log(x)),
              4e-16 * std::fmax(1.0, std::fabs(std::log(x))))
        << x;
  }
  for (double x = 0.5; x < 2.0; x += 0.001) {
    ASSERT_LT(std::fabs(PortableLog(x) - std::log(x)), 3e-16) << x;
  }
  EXPECT_EQ(PortableLog(1.0), 0.0);
  EXPECT_TRUE(std::isnan(PortableLog(0.0)));
  EXPECT_TRUE(std::isnan(PortableLog(-1.0)));
  EXPECT_TRUE(std::isinf(PortableLog(std::numeric_limits<double>::infinity())));
}

TEST(PortableMathTest, ErfcMatchesLibm) {
  for (double x = -6.0; x < 26.0; x += 0.00137) {
    ASSERT_LT(RelativeError(PortableErfc(x), std::erfc(x)), 1e-12) << x;
  }
  EXPECT_EQ(PortableErfc(0.0), 1.0);
  EXPECT_EQ(PortableErfc(30.0), 0.0);
  EXPECT_EQ(PortableErfc(-30.0), 2.0);
  EXPECT_TRUE(std::isnan(PortableErfc(std::nan(""))));
}

}  // namespace
}  // namespace vlmc::entropy
