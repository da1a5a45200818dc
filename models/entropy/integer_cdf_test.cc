#include "models/entropy/integer_cdf.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace vlmc::entropy {
namespace {

void ExpectWellFormed(const IntegerCdf& cdf, int num_values) {
  ASSERT_EQ(cdf.num_values(), num_values);
  EXPECT_EQ(cdf.cdf.front(), 0u);
  EXPECT_EQ(cdf.cdf.back(), kCdfTotal);
  for (size_t i = 1; i < cdf.cdf.size(); ++i) {
    ASSERT_GE(cdf.cdf[i], cdf.cdf[i - 1] + 1) << "symbol " << i - 1;
  }
  EXPECT_TRUE(ValidateIntegerCdf(cdf).ok());
}

uint32_t Freq(const IntegerCdf& cdf, int symbol) {
  return cdf.cdf[symbol + 1] - cdf.cdf[symbol];
}

TEST(IntegerCdfTest, RandomPmfsAreWellFormed) {
  std::mt19937 rng(1);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int trial = 0; trial < 200; ++trial) {
    const int n = std::uniform_int_distribution<int>(1, 4000)(rng);
    std::vector<double> pmf(n);
    double sum = 0;
    for (double& p : pmf) sum += (p = unit(rng) * unit(rng) * unit(rng));
    const double total = trial % 3 == 0 ? sum * 1.01 : sum;
    for (double& p : pmf) p /= total;
    absl::StatusOr<IntegerCdf> cdf = BuildIntegerCdf(pmf, -n / 2);
    ASSERT_TRUE(cdf.ok()) << cdf.status();
    EXPECT_EQ(cdf->offset, -n / 2);
    ExpectWellFormed(*cdf, n);
  }
}

TEST(IntegerCdfTest, LargeProbabilitiesAreQuantisedClosely) {
  const std::vector<double> pmf = {0.5, 0.25, 0.125, 0.125};
  absl::StatusOr<IntegerCdf> cdf = BuildIntegerCdf(pmf, 0);
  ASSERT_TRUE(cdf.ok());
  ExpectWellFormed(*cdf, 4);
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(Freq(*cdf, i), pmf[i] * kCdfTotal, 2.0) << i;
  }
  EXPECT_EQ(Freq(*cdf, 4), 1u);  // Escape keeps its minimum count.
}

TEST(IntegerCdfTest, MissingMassGoesToEscape) {
  absl::StatusOr<IntegerCdf> cdf = BuildIntegerCdf({0.25, 0.25}, 7);
  ASSERT_TRUE(cdf.ok());
  EXPECT_NEAR(Freq(*cdf, 2), kCdfTotal / 2, 2.0);
}

TEST(IntegerCdfTest, OverfullPmfIsNormalised) {
  absl::StatusOr<IntegerCdf> cdf = BuildIntegerCdf({3.0, 1.0}, 0);
  ASSERT_TRUE(cdf.ok());
  ExpectWellFormed(*cdf, 2);
  EXPECT_NEAR(Freq(*cdf, 0), 3 * Freq(*cdf, 1), 4.0);
}

TEST(IntegerCdfTest, DegenerateShapes) {
  // All mass on one value, zero elsewhere.
  std::vector<double> peaked(1000, 0.0);
  peaked[500] = 1.0;
  absl::StatusOr<IntegerCdf> cdf = BuildIntegerCdf(peaked, 0);
  ASSERT_TRUE(cdf.ok());
  ExpectWellFormed(*cdf, 1000);
  EXPECT_EQ(Freq(*cdf, 500), kCdfTotal - 1000);

  // All zero: everything goes to the escape.
  cdf = BuildIntegerCdf(std::vector<double>(10, 0.0), 0);
  ASSERT_TRUE(cdf.ok());
  ExpectWellFormed(*cdf, 10);
  EXPECT_EQ(Freq(*cdf, 10), kCdfTotal - 10);

  // Maximal length, uniform and denormal.
  cdf = BuildIntegerCdf(std::vector<double>(kMaxCdfValues, 1.0), 0);
  ASSERT_TRUE(cdf.ok());
  ExpectWellFormed(*cdf, kMaxCdfValues);
  cdf = BuildIntegerCdf(std::vector<double>(5, 4.9e-324), 0);
  ASSERT_TRUE(cdf.ok());
  ExpectWellFormed(*cdf, 5);

  // Geometric decay stresses the repeated re-scaling.
  std::vector<double> geometric(3000);
  double p = 0.5;
  for (double& g : geometric) g = (p *= 0.99);
  cdf = BuildIntegerCdf(geometric, 0);
  ASSERT_TRUE(cdf.ok());
  ExpectWellFormed(*cdf, 3000);
}

TEST(IntegerCdfTest, IsDeterministic) {
  std::mt19937 rng(7);
  std::vector<double> pmf(777);
  for (double& p : pmf) p = std::uniform_real_distribution<double>()(rng);
  absl::StatusOr<IntegerCdf> a = BuildIntegerCdf(pmf, 3);
  absl::StatusOr<IntegerCdf> b = BuildIntegerCdf(pmf, 3);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->cdf, b->cdf);
}

TEST(IntegerCdfTest, RejectsBadPmfs) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const double big = std::numeric_limits<double>::max();
  const std::vector<std::vector<double>> bad = {
      {},    {0.5, -0.1}, {0.5, nan},
      {inf}, {big, big},  std::vector<double>(kMaxCdfValues + 1, 1.0),
  };
  for (const std::vector<double>& pmf : bad) {
    EXPECT_EQ(BuildIntegerCdf(pmf, 0).status().code(),
              absl::StatusCode::kInvalidArgument)
        << pmf.size();
  }
  const int32_t max = std::numeric_limits<int32_t>::max();
  EXPECT_EQ(BuildIntegerCdf({0.5, 0.5}, max).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(BuildIntegerCdf({0.5, 0.5}, max - 1).ok());
}

TEST(IntegerCdfTest, ValidateRejectsMalformedTables) {
  const IntegerCdf good{0, {0, 100, kCdfTotal}};
  EXPECT_TRUE(ValidateIntegerCdf(good).ok());
  const std::vector<IntegerCdf> bad = {
      {0, {}},
      {0, {0, kCdfTotal}},
      {0, {1, 100, kCdfTotal}},
      {0, {0, 100, kCdfTotal - 1}},
      {0, {0, 100, 100, kCdfTotal}},
      {0, {0, 200, 100, kCdfTotal}},
      {std::numeric_limits<int32_t>::max(), {0, 100, 200, kCdfTotal}},
  };
  for (const IntegerCdf& cdf : bad) {
    EXPECT_EQ(ValidateIntegerCdf(cdf).code(), absl::StatusCode::kDataLoss);
  }
}

TEST(IntegerCdfTest, FlattenRoundTrips) {
  std::vector<IntegerCdf> cdfs;
  for (int n : {1, 5, 300}) {
    std::vector<double> pmf(n, 1.0 / (n + 1));
    absl::StatusOr<IntegerCdf> cdf = BuildIntegerCdf(pmf, -n);
    ASSERT_TRUE(cdf.ok());
    cdfs.push_back(*cdf);
  }
  const FlatCdfs flat = FlattenCdfs(cdfs);
  EXPECT_EQ(flat.lengths, (std::vector<int32_t>{3, 7, 302}));
  EXPECT_EQ(flat.offsets, (std::vector<int32_t>{-1, -5, -300}));
  EXPECT_EQ(flat.cdf_values.size(), 312u);
  absl::StatusOr<std::vector<IntegerCdf>> back = UnflattenCdfs(flat);
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ(back->size(), cdfs.size());
  for (size_t i = 0; i < cdfs.size(); ++i) {
    EXPECT_EQ((*back)[i].offset, cdfs[i].offset);
    EXPECT_EQ((*back)[i].cdf, cdfs[i].cdf);
  }
  absl::StatusOr<std::vector<IntegerCdf>> none = UnflattenCdfs(FlatCdfs{});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(IntegerCdfTest, UnflattenRejectsMalformedInput) {
  const int32_t total = static_cast<int32_t>(kCdfTotal);
  const FlatCdfs good{{0, 9, total, 0, 1, 2, total}, {3, 4}, {0, 5}};
  ASSERT_TRUE(UnflattenCdfs(good).ok());
  std::vector<FlatCdfs> bad(9, good);
  bad[0].offsets.pop_back();           // Count mismatch.
  bad[1].lengths[1] = 5;               // Runs past the end.
  bad[2].lengths[1] = 3;               // Trailing values.
  bad[3].lengths = {2, 5};             // Too short a table.
  bad[4].lengths[0] = -3;              // Negative length.
  bad[5].cdf_values[1] = -1;           // Negative entry.
  bad[6].cdf_values[5] = 1;            // Not increasing.
  bad[7].cdf_values.push_back(total);  // Trailing value.
  bad[8].lengths[0] = std::numeric_limits<int32_t>::max();
  for (size_t i = 0; i < bad.size(); ++i) {
    EXPECT_EQ(UnflattenCdfs(bad[i]).status().code(),
              absl::StatusCode::kDataLoss)
        << i;
  }
}

}  // namespace
}  // namespace vlmc::entropy
