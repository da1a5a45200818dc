#include "models/image/resample.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "gtest/gtest.h"
#include "models/image/metrics.h"

namespace vlmc::image {
namespace {

Image Filled(int width, int height, uint8_t value) {
  Image image;
  image.width = width;
  image.height = height;
  image.rgb.assign(static_cast<size_t>(width) * height * 3, value);
  return image;
}

Image Random(int width, int height, uint32_t seed) {
  Image image = Filled(width, height, 0);
  std::mt19937 rng(seed);
  for (uint8_t& v : image.rgb) v = static_cast<uint8_t>(rng());
  return image;
}

uint8_t At(const Image& image, int x, int y, int c) {
  return image.rgb[(static_cast<size_t>(y) * image.width + x) * 3 + c];
}

// The upsampler written the slow way: 2-D Keys kernel in double.
double ReferenceUpsample(const Image& coded, int factor, int x, int y, int c) {
  const auto kernel = [](double t) {
    t = std::abs(t);
    if (t < 1) return 1.5 * t * t * t - 2.5 * t * t + 1;
    if (t < 2) return -0.5 * t * t * t + 2.5 * t * t - 4 * t + 2;
    return 0.0;
  };
  const double sx = (x + 0.5) / factor - 0.5, sy = (y + 0.5) / factor - 0.5;
  double sum = 0;
  for (int j = static_cast<int>(std::floor(sy)) - 1;
       j <= static_cast<int>(std::floor(sy)) + 2; ++j) {
    for (int i = static_cast<int>(std::floor(sx)) - 1;
         i <= static_cast<int>(std::floor(sx)) + 2; ++i) {
      sum += kernel(i - sx) * kernel(j - sy) *
             At(coded, std::clamp(i, 0, coded.width - 1),
                std::clamp(j, 0, coded.height - 1), c);
    }
  }
  return sum;
}

TEST(DownscaleByBlockMeanTest, AveragesBlocksAndRepeatsEdges) {
  Image image = Filled(3, 2, 0);
  // Red channel: 10 20 30 / 50 60 70.
  const uint8_t red[] = {10, 20, 30, 50, 60, 70};
  for (int i = 0; i < 6; ++i) image.rgb[i * 3] = red[i];
  const absl::StatusOr<Image> half = DownscaleByBlockMean(image, 2);
  ASSERT_TRUE(half.ok()) << half.status();
  ASSERT_EQ(half->width, 2);
  ASSERT_EQ(half->height, 1);
  EXPECT_EQ(At(*half, 0, 0, 0), 35);  // (10 + 20 + 50 + 60) / 4
  EXPECT_EQ(At(*half, 1, 0, 0), 50);  // (30 + 30 + 70 + 70) / 4
  EXPECT_EQ(At(*half, 1, 0, 1), 0);
}

TEST(ResampleTest, FlatImagesStayFlat) {
  for (int factor : {1, 2, 4}) {
    for (auto [w, h] : {std::pair{1, 1}, std::pair{7, 5}, std::pair{64, 33}}) {
      const Image flat = Filled(w, h, 173);
      const absl::StatusOr<Image> small = DownscaleByBlockMean(flat, factor);
      ASSERT_TRUE(small.ok()) << small.status();
      const absl::StatusOr<Image> back = UpscaleCubic(*small, factor, w, h);
      ASSERT_TRUE(back.ok()) << back.status();
      EXPECT_EQ(back->rgb, flat.rgb) << factor << " " << w << "x" << h;
    }
  }
}

TEST(UpscaleCubicTest, MatchesTheFloatingPointDefinitionWithinOneLevel) {
  for (int factor : {2, 4}) {
    const Image coded = Random(9, 6, 7u + factor);
    const int width = coded.width * factor - 1, height = coded.height * factor;
    const absl::StatusOr<Image> up = UpscaleCubic(coded, factor, width, height);
    ASSERT_TRUE(up.ok()) << up.status();
    int worst = 0, exact = 0;
    for (int y = 0; y < height; ++y) {
      for (int x = 0; x < width; ++x) {
        for (int c = 0; c < 3; ++c) {
          const double ref =
              std::clamp(std::round(ReferenceUpsample(coded, factor, x, y, c)),
                         0.0, 255.0);
          const int diff = std::abs(At(*up, x, y, c) - static_cast<int>(ref));
          worst = std::max(worst, diff);
          exact += diff == 0;
        }
      }
    }
    // For factors 2 and 4 every weight is exact in 14 bits (FORMAT.md), so the
    // integers give exactly the rounded real-valued result.
    EXPECT_EQ(worst, 0) << factor;
    EXPECT_EQ(exact, width * height * 3) << factor;
  }
}

TEST(ResampleTest, SmoothImagesSurviveTheRoundTrip) {
  Image image = Filled(96, 64, 0);
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      for (int c = 0; c < 3; ++c) {
        image.rgb[(y * image.width + x) * 3 + c] = static_cast<uint8_t>(
            128 + 100 * std::sin(0.07 * x + 0.5 * c) * std::cos(0.05 * y));
      }
    }
  }
  for (int factor : {2, 4}) {
    const absl::StatusOr<Image> small = DownscaleByBlockMean(image, factor);
    ASSERT_TRUE(small.ok());
    const absl::StatusOr<Image> back =
        UpscaleCubic(*small, factor, image.width, image.height);
    ASSERT_TRUE(back.ok());
    const absl::StatusOr<double> psnr = Psnr(image, *back);
    ASSERT_TRUE(psnr.ok());
    EXPECT_GT(*psnr, factor == 2 ? 40.0 : 32.0) << factor;
  }
}

TEST(ResampleTest, RefusesBadArguments) {
  const Image image = Filled(8, 6, 1);
  EXPECT_EQ(DownscaleByBlockMean(image, 3).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DownscaleByBlockMean(Image{}, 2).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(UpscaleCubic(image, 8, 64, 48).status().code(),
            absl::StatusCode::kInvalidArgument);
  // The output must need exactly this many coded pixels per side.
  EXPECT_TRUE(UpscaleCubic(image, 2, 15, 11).ok());
  for (auto [w, h] : {std::pair{17, 12}, std::pair{14, 12}, std::pair{16, 10},
                      std::pair{0, 12}}) {
    EXPECT_EQ(UpscaleCubic(image, 2, w, h).status().code(),
              absl::StatusCode::kInvalidArgument)
        << w << "x" << h;
  }
}

}  // namespace
}  // namespace vlmc::image
