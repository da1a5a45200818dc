#include "models/entropy/rans_coder.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "models/entropy/gaussian_table.h"
#include "models/entropy/integer_cdf.h"

namespace vlmc::entropy {
namespace {

constexpr int32_t kInt32Min = std::numeric_limits<int32_t>::min();
constexpr int32_t kInt32Max = std::numeric_limits<int32_t>::max();

IntegerCdf MakeCdf(const std::vector<double>& pmf, int32_t offset) {
  absl::StatusOr<IntegerCdf> cdf = BuildIntegerCdf(pmf, offset);
  EXPECT_TRUE(cdf.ok()) << cdf.status();
  return cdf.ok() ? *cdf : IntegerCdf{0, {0, 1, kCdfTotal}};
}

IntegerCdf RandomCdf(std::mt19937& rng, int num_values, int32_t offset) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<double> pmf(num_values);
  double sum = 0;
  for (double& p : pmf) sum += (p = std::pow(unit(rng), 4.0));
  for (double& p : pmf) p /= sum * 1.001;
  return MakeCdf(pmf, offset);
}

// Draws a value from the table's own distribution, escape included.
int32_t Sample(std::mt19937& rng, const IntegerCdf& cdf) {
  const uint32_t u =
      std::uniform_int_distribution<uint32_t>(0, kCdfTotal - 1)(rng);
  const int symbol =
      static_cast<int>(std::upper_bound(cdf.cdf.begin(), cdf.cdf.end(), u) -
                       cdf.cdf.begin() - 1);
  if (symbol < cdf.num_values()) return cdf.offset + symbol;
  return std::uniform_int_distribution<int32_t>(kInt32Min, kInt32Max)(rng);
}

// Encodes values[i] with *tables[i], decodes and checks everything.
std::string ExpectRoundTrip(const std::vector<int32_t>& values,
                            const std::vector<const IntegerCdf*>& tables) {
  RansEncoder encoder;
  for (size_t i = 0; i < values.size(); ++i) {
    encoder.Encode(values[i], *tables[i]);
  }
  const std::string data = encoder.Finish();
  absl::StatusOr<RansDecoder> decoder = RansDecoder::Create(data);
  EXPECT_TRUE(decoder.ok()) << decoder.status();
  if (!decoder.ok()) return data;
  for (size_t i = 0; i < values.size(); ++i) {
    absl::StatusOr<int32_t> value = decoder->Decode(*tables[i]);
    EXPECT_TRUE(value.ok()) << value.status() << " at " << i;
    if (!value.ok()) return data;
    EXPECT_EQ(*value, values[i]) << "at " << i;
    if (*value != values[i]) return data;
  }
  EXPECT_TRUE(decoder->Finish().ok()) << decoder->Finish();
  return data;
}

TEST(RansCoderTest, EmptyStream) {
  RansEncoder encoder;
  const std::string data = encoder.Finish();
  EXPECT_EQ(data.size(), 4u);
  absl::StatusOr<RansDecoder> decoder = RansDecoder::Create(data);
  ASSERT_TRUE(decoder.ok());
  EXPECT_TRUE(decoder->Finish().ok());
}

TEST(RansCoderTest, RandomTablesOfRandomLengths) {
  std::mt19937 rng(42);
  for (int trial = 0; trial < 40; ++trial) {
    const int n = std::uniform_int_distribution<int>(1, 4000)(rng);
    const int32_t offset =
        std::uniform_int_distribution<int32_t>(-5000, 5000)(rng);
    const IntegerCdf cdf = RandomCdf(rng, n, offset);
    const int count = std::uniform_int_distribution<int>(0, 3000)(rng);
    std::vector<int32_t> values(count);
    for (int32_t& v : values) v = Sample(rng, cdf);
    ExpectRoundTrip(values,
                    std::vector<const IntegerCdf*>(values.size(), &cdf));
  }
}

TEST(RansCoderTest, MixedTablesPerSymbol) {
  std::mt19937 rng(3);
  std::vector<IntegerCdf> cdfs;
  for (int t = 0; t < 30; ++t) {
    const int n = std::uniform_int_distribution<int>(1, 600)(rng);
    cdfs.push_back(RandomCdf(rng, n, -n / 2));
  }
  const GaussianScaleTable& gaussian = GaussianScaleTable::Default();
  for (int i = 0; i < gaussian.size(); ++i) cdfs.push_back(gaussian.cdf(i));
  std::vector<int32_t> values;
  std::vector<const IntegerCdf*> tables;
  std::uniform_int_distribution<size_t> pick(0, cdfs.size() - 1);
  for (int i = 0; i < 50000; ++i) {
    tables.push_back(&cdfs[pick(rng)]);
    values.push_back(Sample(rng, *tables.back()));
  }
  ExpectRoundTrip(values, tables);
}

TEST(RansCoderTest, PeakedAndUniformDistributions) {
  std::vector<double> peaked(50, 0.0);
  peaked[20] = 1.0;
  const IntegerCdf peaked_cdf = MakeCdf(peaked, -20);
  const IntegerCdf uniform_cdf = MakeCdf(std::vector<double>(256, 1.0), 0);
  const IntegerCdf single_cdf = MakeCdf({1.0}, 0);
  std::mt19937 rng(5);
  for (const IntegerCdf* cdf : {&peaked_cdf, &uniform_cdf, &single_cdf}) {
    std::vector<int32_t> values(20000);
    for (int32_t& v : values) v = Sample(rng, *cdf);
    const std::string data = ExpectRoundTrip(
        values, std::vector<const IntegerCdf*>(values.size(), cdf));
    if (cdf == &uniform_cdf) {
      EXPECT_LT(data.size(), values.size() * 1.001 + 16);
    } else {
      // Nearly all mass on one value: a few bits per thousand symbols.
      EXPECT_LT(data.size(), 128u);
    }
  }
  // The rare values of a peaked table are coded correctly too.
  std::vector<int32_t> rare;
  for (int v = -25; v < 35; ++v) rare.push_back(v);
  ExpectRoundTrip(rare,
                  std::vector<const IntegerCdf*>(rare.size(), &peaked_cdf));
}

TEST(RansCoderTest, EscapedValues) {
  const IntegerCdf cdf = MakeCdf({0.2, 0.5, 0.2}, -1);
  std::vector<int32_t> values = {kInt32Min,
                                 kInt32Max,
                                 kInt32Min + 1,
                                 kInt32Max - 1,
                                 -2,
                                 2,
                                 -3,
                                 3,
                                 0,
                                 -17,
                                 18,
                                 1 << 20,
                                 -(1 << 20),
                                 1 << 30,
                                 -(1 << 30)};
  for (int shift = 0; shift < 31; ++shift) {
    values.push_back(1 << shift);
    values.push_back(-(1 << shift));
    values.push_back((1 << shift) + 1);
  }
  std::mt19937 rng(9);
  std::uniform_int_distribution<int32_t> any(kInt32Min, kInt32Max);
  for (int i = 0; i < 20000; ++i) values.push_back(any(rng));  // All escapes.
  ExpectRoundTrip(values, std::vector<const IntegerCdf*>(values.size(), &cdf));

  // Extreme table offsets: the escape side next to the int32 limits.
  const IntegerCdf low = MakeCdf({0.5, 0.5}, kInt32Min);
  const IntegerCdf high = MakeCdf({0.5, 0.5}, kInt32Max - 1);
  const std::vector<int32_t> extremes = {kInt32Min, kInt32Max, 0, -1};
  for (const IntegerCdf* table : {&low, &high}) {
    ExpectRoundTrip(extremes,
                    std::vector<const IntegerCdf*>(extremes.size(), table));
  }
}

TEST(RansCoderTest, EncoderIsReusableAfterFinish) {
  const IntegerCdf cdf = MakeCdf({0.3, 0.7}, 0);
  RansEncoder encoder;
  encoder.Encode(1, cdf);
  encoder.Encode(99, cdf);
  const std::string first = encoder.Finish();
  encoder.Encode(1, cdf);
  encoder.Encode(99, cdf);
  EXPECT_EQ(encoder.Finish(), first);
  EXPECT_EQ(encoder.Finish().size(), 4u);
}

// Builds a stream of mixed in-range and escaped values.
struct SmallStream {
  IntegerCdf cdf;
  std::vector<int32_t> values;
  std::string data;
};

SmallStream MakeSmallStream() {
  SmallStream s;
  s.cdf = MakeCdf({0.1, 0.2, 0.4, 0.2, 0.09}, -2);
  std::mt19937 rng(11);
  for (int i = 0; i < 300; ++i) s.values.push_back(Sample(rng, s.cdf));
  s.values.push_back(kInt32Max);
  s.values.push_back(kInt32Min);
  RansEncoder encoder;
  for (int32_t v : s.values) encoder.Encode(v, s.cdf);
  s.data = encoder.Finish();
  return s;
}

// Decodes `count` values from `data`; true if everything, Finish included,
// succeeded and matched `expected`.
bool DecodesCleanly(const std::string& data, const IntegerCdf& cdf,
                    const std::vector<int32_t>& expected) {
  absl::StatusOr<RansDecoder> decoder = RansDecoder::Create(data);
  if (!decoder.ok()) {
    EXPECT_EQ(decoder.status().code(), absl::StatusCode::kDataLoss);
    return false;
  }
  bool same = true;
  for (int32_t want : expected) {
    absl::StatusOr<int32_t> value = decoder->Decode(cdf);
    if (!value.ok()) {
      EXPECT_EQ(value.status().code(), absl::StatusCode::kDataLoss);
      // Errors are sticky.
      EXPECT_FALSE(decoder->Decode(cdf).ok());
      EXPECT_FALSE(decoder->Finish().ok());
      return false;
    }
    same = same && *value == want;
  }
  return same && decoder->Finish().ok();
}

TEST(RansCoderTest, EveryTruncationIsDetected) {
  const SmallStream s = MakeSmallStream();
  ASSERT_TRUE(DecodesCleanly(s.data, s.cdf, s.values));
  for (size_t len = 0; len < s.data.size(); ++len) {
    EXPECT_FALSE(DecodesCleanly(s.data.substr(0, len), s.cdf, s.values))
        << "prefix " << len;
  }
}

TEST(RansCoderTest, ExtraOrMissingBytesFailFinish) {
  const SmallStream s = MakeSmallStream();
  EXPECT_FALSE(DecodesCleanly(s.data + '\0', s.cdf, s.values));
  EXPECT_FALSE(DecodesCleanly(s.data + "xyz", s.cdf, s.values));
  // Decoding fewer values than were coded leaves the stream unfinished.
  std::vector<int32_t> fewer(s.values.begin(), s.values.end() - 1);
  EXPECT_FALSE(DecodesCleanly(s.data, s.cdf, fewer));
  // Decoding more values than were coded runs out or ends in a bad state.
  std::vector<int32_t> more = s.values;
  more.push_back(0);
  EXPECT_FALSE(DecodesCleanly(s.data, s.cdf, more));
}

TEST(RansCoderTest, CorruptedStreamsNeverCrash) {
  const SmallStream s = MakeSmallStream();
  std::mt19937 rng(13);
  int detected = 0;
  for (int trial = 0; trial < 2000; ++trial) {
    std::string data = s.data;
    const size_t pos =
        std::uniform_int_distribution<size_t>(0, data.size() - 1)(rng);
    data[pos] = static_cast<char>(
        data[pos] ^ std::uniform_int_distribution<int>(1, 255)(rng));
    if (!DecodesCleanly(data, s.cdf, s.values)) ++detected;
  }
  EXPECT_GT(detected, 1900);
  // Pure garbage of various lengths, also with the escape-heavy table.
  const IntegerCdf tiny = MakeCdf({0.01}, 0);
  for (int trial = 0; trial < 2000; ++trial) {
    std::string data(std::uniform_int_distribution<int>(0, 64)(rng), '\0');
    for (char& c : data) {
      c = static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
    }
    DecodesCleanly(data, trial % 2 ? tiny : s.cdf, s.values);
  }
}

TEST(RansCoderTest, BadInitialStateIsRejected) {
  EXPECT_EQ(RansDecoder::Create("").status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(RansDecoder::Create("abc").status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(RansDecoder::Create(std::string(4, '\0')).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(RansDecoder::Create(std::string(4, '\xff')).status().code(),
            absl::StatusCode::kDataLoss);
}

TEST(RansCoderTest, TooShortTableIsRejected) {
  const SmallStream s = MakeSmallStream();
  absl::StatusOr<RansDecoder> decoder = RansDecoder::Create(s.data);
  ASSERT_TRUE(decoder.ok());
  EXPECT_EQ(decoder->Decode(IntegerCdf{0, {0, kCdfTotal}}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(RansCoderTest, CodedSizeIsCloseToEntropy) {
  std::mt19937 rng(17);
  const GaussianScaleTable& table = GaussianScaleTable::Default();
  std::vector<int32_t> values;
  std::vector<const IntegerCdf*> tables;
  double bits = 0;
  for (int i = 0; i < 100000; ++i) {
    const IntegerCdf& cdf =
        table.cdf(std::uniform_int_distribution<int>(0, 40)(rng));
    const int32_t v = Sample(rng, cdf);
    const int symbol = v - cdf.offset;
    ASSERT_LT(symbol, cdf.num_values());  // Escapes are ~1e-9 likely.
    bits -= std::log2(
        static_cast<double>(cdf.cdf[symbol + 1] - cdf.cdf[symbol]) / kCdfTotal);
    values.push_back(v);
    tables.push_back(&cdf);
  }
  const std::string data = ExpectRoundTrip(values, tables);
  const double entropy_bytes = bits / 8;
  EXPECT_LT(data.size(), entropy_bytes * 1.01 + 8);
  EXPECT_GT(data.size(), entropy_bytes * 0.99);
}

TEST(RansCoderTest, Speed) {
  // Not a benchmark: prints the best of a few runs so that regressions show
  // in logs (CPU time, so a busy machine skews it less). Tables are drawn
  // uniformly from the Gaussian table, which is slower than real latents
  // (mostly small scales, small tables).
  std::mt19937 rng(19);
  const GaussianScaleTable& table = GaussianScaleTable::Default();
  constexpr int kCount = 150000;
  std::vector<int32_t> values(kCount);
  std::vector<const IntegerCdf*> tables(kCount);
  for (int i = 0; i < kCount; ++i) {
    tables[i] = &table.cdf(std::uniform_int_distribution<int>(0, 63)(rng));
    values[i] = Sample(rng, *tables[i]);
  }
  double best_encode = 1e9;
  double best_decode = 1e9;
  for (int run = 0; run < 5; ++run) {
    const std::clock_t t0 = std::clock();
    RansEncoder encoder;
    for (int i = 0; i < kCount; ++i) encoder.Encode(values[i], *tables[i]);
    const std::string data = encoder.Finish();
    const std::clock_t t1 = std::clock();
    absl::StatusOr<RansDecoder> decoder = RansDecoder::Create(data);
    ASSERT_TRUE(decoder.ok());
    int64_t mismatches = 0;
    for (int i = 0; i < kCount; ++i) {
      absl::StatusOr<int32_t> v = decoder->Decode(*tables[i]);
      ASSERT_TRUE(v.ok());
      mismatches += *v != values[i];
    }
    const std::clock_t t2 = std::clock();
    EXPECT_EQ(mismatches, 0);
    EXPECT_TRUE(decoder->Finish().ok());
    best_encode =
        std::min(best_encode, static_cast<double>(t1 - t0) / CLOCKS_PER_SEC);
    best_decode =
        std::min(best_decode, static_cast<double>(t2 - t1) / CLOCKS_PER_SEC);
  }
  std::printf(
      "rANS: %d symbols, encode %.2f ms (%.1f M/s), decode %.2f ms "
      "(%.1f M/s)\n",
      kCount, best_encode * 1e3, kCount / best_encode / 1e6, best_decode * 1e3,
      kCount / best_decode / 1e6);
}

}  // namespace
}  // namespace vlmc::entropy
