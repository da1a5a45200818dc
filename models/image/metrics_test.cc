#include "models/image/metrics.h"

#include <cmath>

#include "gtest/gtest.h"

namespace vlmc::image {
namespace {

Image Make(int width, int height, std::vector<uint8_t> rgb) {
  Image image;
  image.width = width;
  image.height = height;
  image.rgb = std::move(rgb);
  return image;
}

TEST(MetricsTest, HandCheckedValues) {
  // Differences 1, 2, 3, 0, 0, 0: MSE = (1 + 4 + 9) / 6.
  const Image a = Make(2, 1, {0, 0, 0, 10, 20, 30});
  const Image b = Make(2, 1, {1, 2, 3, 10, 20, 30});
  EXPECT_DOUBLE_EQ(*Mse(a, b), 14.0 / 6.0);
  EXPECT_DOUBLE_EQ(*Mse(b, a), 14.0 / 6.0);
  // 10 * log10(65025 / (7 / 3)).
  EXPECT_NEAR(*Psnr(a, b), 44.451035755733, 1e-9);
}

TEST(MetricsTest, BlackVersusWhiteIsZeroDb) {
  const Image black = Make(1, 1, {0, 0, 0});
  const Image white = Make(1, 1, {255, 255, 255});
  EXPECT_DOUBLE_EQ(*Mse(black, white), 65025.0);
  EXPECT_DOUBLE_EQ(*Psnr(black, white), 0.0);
}

TEST(MetricsTest, IdenticalImagesHaveInfinitePsnr) {
  const Image a = Make(1, 2, {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(*Mse(a, a), 0.0);
  const double psnr = *Psnr(a, a);
  EXPECT_TRUE(std::isinf(psnr));
  EXPECT_GT(psnr, 0);
}

TEST(MetricsTest, CompareValuesCountsAndBoundsTheDifferences) {
  const Image a = Make(2, 1, {0, 0, 0, 10, 20, 30});
  const Image b = Make(2, 1, {1, 0, 3, 10, 19, 30});
  absl::StatusOr<ValueDifference> d = CompareValues(a, b);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->max_abs, 3);
  EXPECT_EQ(d->differing, 3);
  EXPECT_EQ(d->total, 6);
  absl::StatusOr<ValueDifference> same = CompareValues(a, a);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->max_abs, 0);
  EXPECT_EQ(same->differing, 0);
}

TEST(MetricsTest, RejectsMismatchedOrInvalidImages) {
  const Image a = Make(2, 1, {0, 0, 0, 0, 0, 0});
  const Image b = Make(1, 2, {0, 0, 0, 0, 0, 0});
  EXPECT_EQ(Mse(a, b).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Psnr(a, b).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CompareValues(a, b).status().code(),
            absl::StatusCode::kInvalidArgument);
  const Image broken = Make(2, 1, {0, 0, 0});
  EXPECT_EQ(Mse(broken, broken).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vlmc::image
