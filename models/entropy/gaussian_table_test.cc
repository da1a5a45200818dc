#include "models/entropy/gaussian_table.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "gtest/gtest.h"
#include "models/entropy/integer_cdf.h"

namespace vlmc::entropy {
namespace {

// FNV-1a over every table's offset and cdf entries, 4 little-endian bytes
// each. Pins the tables: a change here means streams coded on one machine or
// version no longer decode on another. Only update it for a deliberate,
// format-breaking change of the tables.
constexpr uint64_t kGoldenTableHash = 0x121720df52454850;

uint64_t HashTables(const GaussianScaleTable& table) {
  uint64_t hash = 14695981039346656037ull;
  auto add = [&hash](uint32_t word) {
    for (int i = 0; i < 4; ++i) {
      hash ^= (word >> (8 * i)) & 0xFF;
      hash *= 1099511628211ull;
    }
  };
  for (int i = 0; i < table.size(); ++i) {
    const IntegerCdf& cdf = table.cdf(i);
    add(static_cast<uint32_t>(cdf.offset));
    for (uint32_t c : cdf.cdf) add(c);
  }
  return hash;
}

TEST(GaussianScaleTableTest, GoldenChecksum) {
  EXPECT_EQ(HashTables(GaussianScaleTable::Default()), kGoldenTableHash);
}

TEST(GaussianScaleTableTest, ScalesAreLogSpaced) {
  const GaussianScaleTable& table = GaussianScaleTable::Default();
  ASSERT_EQ(table.size(), 64);
  EXPECT_NEAR(table.scale(0) / 0.11, 1.0, 1e-9);
  EXPECT_NEAR(table.scale(63) / 256.0, 1.0, 1e-9);
  const double step = std::log(256.0 / 0.11) / 63;
  for (int i = 0; i < table.size(); ++i) {
    EXPECT_NEAR(table.scale(i) / std::exp(std::log(0.11) + i * step), 1.0,
                1e-12)
        << i;
    if (i > 0) {
      EXPECT_GT(table.scale(i), table.scale(i - 1));
    }
  }
  EXPECT_EQ(table.scale(-5), table.scale(0));
  EXPECT_EQ(table.scale(100), table.scale(63));
}

TEST(GaussianScaleTableTest, IndexForScale) {
  const GaussianScaleTable& table = GaussianScaleTable::Default();
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(table.IndexForScale(0.0f), 0);
  EXPECT_EQ(table.IndexForScale(-3.0f), 0);
  EXPECT_EQ(table.IndexForScale(-inf), 0);
  EXPECT_EQ(table.IndexForScale(1e-30f), 0);
  EXPECT_EQ(table.IndexForScale(0.1f), 0);
  EXPECT_EQ(table.IndexForScale(256.0f), 63);
  EXPECT_EQ(table.IndexForScale(1000.0f), 63);
  EXPECT_EQ(table.IndexForScale(inf), 63);
  EXPECT_EQ(table.IndexForScale(std::numeric_limits<float>::quiet_NaN()), 63);
  for (int i = 1; i < table.size(); ++i) {
    // Just above the previous scale and between two scales map up.
    const float mid =
        static_cast<float>(0.5 * (table.scale(i - 1) + table.scale(i)));
    EXPECT_EQ(table.IndexForScale(mid), i);
    const float above_prev =
        std::nextafter(static_cast<float>(table.scale(i - 1)), inf);
    EXPECT_EQ(table.IndexForScale(above_prev), i);
  }
  for (float s = 0.05f; s < 300.0f; s *= 1.01f) {
    const int i = table.IndexForScale(s);
    if (i < table.size() - 1) {
      EXPECT_GE(table.scale(i), s);
    }
    if (i > 0) {
      EXPECT_LT(table.scale(i - 1), s);
    }
  }
}

// The fixed-point index is IndexForScale of the exact value v / 2^16: v and
// every v / 2^16 here are exact doubles, so the comparisons below are too.
TEST(GaussianScaleTableTest, IndexForFixedPointScaleIsExact) {
  const GaussianScaleTable& table = GaussianScaleTable::Default();
  const int bits = GaussianScaleTable::kFixedPointScaleBits;
  EXPECT_EQ(table.IndexForFixedPointScale(-(int64_t{1} << 40)), 0);
  EXPECT_EQ(table.IndexForFixedPointScale(0), 0);
  EXPECT_EQ(table.IndexForFixedPointScale(int64_t{1} << 40), 63);
  std::vector<int64_t> values;
  for (int64_t v = -5; v < (int64_t{300} << bits); v += 977)
    values.push_back(v);
  for (int i = 0; i < table.size(); ++i) {
    const int64_t at = static_cast<int64_t>(std::ldexp(table.scale(i), bits));
    for (int64_t d = -2; d <= 2; ++d) values.push_back(at + d);
  }
  for (int64_t v : values) {
    const double exact = std::ldexp(static_cast<double>(v), -bits);
    const int i = table.IndexForFixedPointScale(v);
    if (i < table.size() - 1) EXPECT_GE(table.scale(i), exact) << v;
    if (i > 0) EXPECT_LT(table.scale(i - 1), exact) << v;
  }
}

TEST(GaussianScaleTableTest, TablesMatchTheGaussian) {
  const GaussianScaleTable& table = GaussianScaleTable::Default();
  for (int i = 0; i < table.size(); ++i) {
    const IntegerCdf& cdf = table.cdf(i);
    ASSERT_TRUE(ValidateIntegerCdf(cdf).ok()) << i;
    const double s = table.scale(i);
    const int radius = static_cast<int>(std::ceil(s * 6.0));
    ASSERT_EQ(cdf.offset, -radius) << i;
    ASSERT_EQ(cdf.num_values(), 2 * radius + 1) << i;
    for (int k = 0; k < cdf.num_values(); ++k) {
      const double v = cdf.offset + k;
      const double want = 0.5 * (std::erfc((v - 0.5) / (s * std::sqrt(2.0))) -
                                 std::erfc((v + 0.5) / (s * std::sqrt(2.0))));
      const double got =
          static_cast<double>(cdf.cdf[k + 1] - cdf.cdf[k]) / kCdfTotal;
      ASSERT_NEAR(got, want, 1e-4) << "scale " << i << " value " << v;
      // Symmetric around zero up to the remainder distribution.
      const int mirror = cdf.num_values() - 1 - k;
      ASSERT_NEAR(static_cast<double>(cdf.cdf[k + 1] - cdf.cdf[k]),
                  static_cast<double>(cdf.cdf[mirror + 1] - cdf.cdf[mirror]),
                  1.0);
    }
    // The tails beyond 6 sigma hold about 2e-9: the escape keeps one count.
    EXPECT_EQ(cdf.cdf.back() - cdf.cdf[cdf.num_values()], 1u) << i;
  }
}

}  // namespace
}  // namespace vlmc::entropy
