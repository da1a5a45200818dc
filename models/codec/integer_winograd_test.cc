#include "models/codec/integer_winograd.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

namespace vlmc::codec {
namespace {

constexpr int64_t kSumLimit = int64_t{1} << 62;

struct Case {
  int64_t in, out, height, width;
};

// A zero-bordered channels-last input of `height` x `width` values, its
// extents rounded up to even as TileRow reads them.
struct PaddedInput {
  int64_t rows, columns, channels;
  std::vector<int32_t> values;
  int32_t& at(int64_t y, int64_t x, int64_t c) {
    return values[(y * columns + x) * channels + c];
  }
};

PaddedInput MakeInput(const Case& c, int32_t limit, bool extreme,
                      std::mt19937& rng) {
  PaddedInput input{
      (c.height + 1) / 2 * 2 + 2, (c.width + 1) / 2 * 2 + 2, c.in, {}};
  input.values.assign(input.rows * input.columns * c.in, 0);
  std::uniform_int_distribution<int32_t> any(-limit, limit);
  std::bernoulli_distribution sign(0.5);
  for (int64_t y = 0; y < c.height; ++y) {
    for (int64_t x = 0; x < c.width; ++x) {
      for (int64_t ch = 0; ch < c.in; ++ch) {
        input.at(y + 1, x + 1, ch) =
            extreme ? (sign(rng) ? limit : -limit) : any(rng);
      }
    }
  }
  return input;
}

// The direct 3x3 correlation's sums, [y][x][out].
std::vector<int64_t> DirectSums(const std::vector<int32_t>& weights,
                                const Case& c, PaddedInput& input) {
  std::vector<int64_t> sums(c.height * c.width * c.out, 0);
  for (int64_t y = 0; y < c.height; ++y) {
    for (int64_t x = 0; x < c.width; ++x) {
      for (int64_t o = 0; o < c.out; ++o) {
        int64_t s = 0;
        for (int64_t ky = 0; ky < 3; ++ky) {
          for (int64_t kx = 0; kx < 3; ++kx) {
            for (int64_t ch = 0; ch < c.in; ++ch) {
              s += int64_t{weights[((o * 3 + ky) * 3 + kx) * c.in + ch]} *
                   input.at(y + ky, x + kx, ch);
            }
          }
        }
        sums[(y * c.width + x) * c.out + o] = s;
      }
    }
  }
  return sums;
}

std::vector<int64_t> WinogradSums(const IntegerWinograd& winograd,
                                  const Case& c, PaddedInput& input) {
  const int64_t tiles = (c.width + 1) / 2;
  std::vector<int64_t> sums(c.height * c.width * c.out);
  std::vector<int64_t> rows(2 * 2 * tiles * c.out);
  for (int64_t t = 0; t < (c.height + 1) / 2; ++t) {
    winograd.TileRow(input.values.data(), input.columns * c.in, tiles, t,
                     rows.data());
    for (int64_t r = 0; r < 2 && 2 * t + r < c.height; ++r) {
      for (int64_t x = 0; x < c.width; ++x) {
        for (int64_t o = 0; o < c.out; ++o) {
          sums[((2 * t + r) * c.width + x) * c.out + o] =
              rows[(r * 2 * tiles + x) * c.out + o];
        }
      }
    }
  }
  return sums;
}

std::vector<int32_t> RandomWeights(const Case& c, int32_t limit,
                                   std::mt19937& rng) {
  std::uniform_int_distribution<int32_t> any(-limit, limit);
  std::vector<int32_t> weights(c.out * 9 * c.in);
  for (int32_t& w : weights) w = any(rng);
  return weights;
}

// Odd and even sizes, channel counts that are and are not multiples of the
// dot product's block of 4, random and full-scale (+-limit) inputs: the
// Winograd sums are the direct ones exactly.
TEST(IntegerWinogradTest, SumsEqualTheDirectCorrelation) {
  std::mt19937 rng(7);
  const int32_t kInputLimit = 1 << 27;
  for (const Case& c : {Case{5, 6, 3, 5}, Case{8, 4, 4, 4}, Case{3, 9, 1, 1},
                        Case{16, 13, 7, 2}}) {
    const std::vector<int32_t> weights = RandomWeights(c, 1 << 20, rng);
    std::optional<IntegerWinograd> winograd =
        IntegerWinograd::Make(weights, c.in, c.out, kInputLimit, kSumLimit);
    ASSERT_TRUE(winograd.has_value());
    for (bool extreme : {false, true}) {
      PaddedInput input = MakeInput(c, kInputLimit, extreme, rng);
      EXPECT_EQ(WinogradSums(*winograd, c, input),
                DirectSums(weights, c, input))
          << c.in << "->" << c.out << " " << c.height << "x" << c.width
          << (extreme ? " extreme" : " random");
    }
  }
}

// Full-scale filters and inputs of one sign, with as many channels as the
// bound admits at that scale: the transformed partial sums reach
// 16 x 9 x 2^25 x 4 x 2^27 = 2^61.2 and the results are still exact.
TEST(IntegerWinogradTest, FullScaleSumsAreExact) {
  const Case c{16, 4, 2, 3};
  const int32_t kLimit = 1 << 27;
  const std::vector<int32_t> weights(c.out * 9 * c.in, 1 << 25);
  std::optional<IntegerWinograd> winograd =
      IntegerWinograd::Make(weights, c.in, c.out, kLimit, kSumLimit);
  ASSERT_TRUE(winograd.has_value());
  std::mt19937 rng(3);
  PaddedInput input = MakeInput(c, kLimit, /*extreme=*/false, rng);
  for (int64_t y = 0; y < c.height; ++y) {
    for (int64_t x = 0; x < c.width; ++x) {
      for (int64_t ch = 0; ch < c.in; ++ch) input.at(y + 1, x + 1, ch) = kLimit;
    }
  }
  const std::vector<int64_t> direct = DirectSums(weights, c, input);
  EXPECT_EQ(WinogradSums(*winograd, c, input), direct);
  // A corner output sees 4 taps: 16 x 4 x 2^25 x 2^27 = 2^58.
  EXPECT_EQ(direct.front(), int64_t{1} << 58);
}

// Filters for which 4 x some direct sum could leave int64 are refused (the
// caller keeps the direct loop); the same filters pass for inputs 2^8 times
// smaller.
TEST(IntegerWinogradTest, RefusesFiltersThatCouldOverflow) {
  std::mt19937 rng(11);
  const Case c{64, 4, 2, 2};
  const std::vector<int32_t> weights(c.out * 9 * c.in, 1 << 25);
  EXPECT_FALSE(IntegerWinograd::Make(weights, c.in, c.out, 1 << 27, kSumLimit));
  EXPECT_TRUE(IntegerWinograd::Make(weights, c.in, c.out, 1 << 19, kSumLimit));
}

}  // namespace
}  // namespace vlmc::codec
