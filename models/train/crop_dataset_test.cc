#include "models/train/crop_dataset.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>

#include "models/image/image_io.h"
#include "models/train/tiny_training_fixture.h"

namespace vlmc::train {
namespace {

// Image i is filled with the value 10·(i+1), so a crop tells which image it
// came from.
std::vector<std::string> WriteFlatImages(const std::string& dir, int count,
                                         int width, int height) {
  std::vector<std::string> files;
  for (int i = 0; i < count; ++i) {
    image::Image img;
    img.width = width;
    img.height = height;
    img.rgb.assign(static_cast<size_t>(width) * height * 3,
                   static_cast<uint8_t>(10 * (i + 1)));
    files.push_back(dir + "/img" + std::to_string(i) + ".png");
    EXPECT_TRUE(image::WritePngFile(img, files.back()).ok());
  }
  return files;
}

TEST(CropDatasetTest, CenterCropsSpreadOverTheDataset) {
  const std::string dir = MakeTempDir();
  const std::vector<std::string> files = WriteFlatImages(dir, 6, 80, 70);
  absl::StatusOr<CropDataset> data = CropDataset::Load(files, 64);
  ASSERT_TRUE(data.ok()) << data.status();

  absl::StatusOr<torch::Tensor> crops = data->CenterCrops(3, 64);
  ASSERT_TRUE(crops.ok()) << crops.status();
  ASSERT_EQ(crops->sizes(), (std::vector<int64_t>{3, 3, 64, 64}));
  // Images 0, 2 and 4 of the six.
  for (int64_t k = 0; k < 3; ++k) {
    const double expected = 10.0 * (2 * k + 1) / 255.0;
    EXPECT_NEAR((*crops)[k].min().item<double>(), expected, 1e-6) << k;
    EXPECT_NEAR((*crops)[k].max().item<double>(), expected, 1e-6) << k;
  }
  // More than there are: every image once; the same images on every call.
  absl::StatusOr<torch::Tensor> all = data->CenterCrops(10, 64);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(0), 6);
  EXPECT_TRUE(torch::equal(*data->CenterCrops(3, 64), *crops));

  EXPECT_EQ(data->CenterCrops(3, 128).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(data->CenterCrops(0, 64).status().code(),
            absl::StatusCode::kInvalidArgument);
  std::filesystem::remove_all(dir);
}

// A horizontal ramp, pixel value = column index, tells from a crop how wide
// a stretch of the image it came from.
std::string WriteRamp(const std::string& dir, int width, int height) {
  image::Image img;
  img.width = width;
  img.height = height;
  img.rgb.resize(static_cast<size_t>(width) * height * 3);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      for (int c = 0; c < 3; ++c) {
        img.rgb[(static_cast<size_t>(y) * width + x) * 3 + c] =
            static_cast<uint8_t>(x);
      }
    }
  }
  const std::string path = dir + "/ramp.png";
  EXPECT_TRUE(image::WritePngFile(img, path).ok());
  return path;
}

// Span of a crop's values along the ramp, in source pixels.
double RampSpan(const torch::Tensor& crop) {
  return (crop.max() - crop.min()).item<double>() * 255.0;
}

TEST(CropDatasetTest, ScaleAugmentationAveragesLargerSquaresDown) {
  const std::string dir = MakeTempDir();
  const std::vector<std::string> files = {WriteRamp(dir, 250, 200)};
  absl::StatusOr<CropDataset> plain = CropDataset::Load(files, 64);
  absl::StatusOr<CropDataset> scaled = CropDataset::Load(files, 64, 0.5);
  ASSERT_TRUE(plain.ok()) << plain.status();
  ASSERT_TRUE(scaled.ok()) << scaled.status();
  std::mt19937 rng(7);
  const torch::Tensor plain_crops = plain->Sample(32, rng);
  const torch::Tensor scaled_crops = scaled->Sample(32, rng);
  ASSERT_EQ(scaled_crops.sizes(), (std::vector<int64_t>{32, 3, 64, 64}));
  double widest = 0.0;
  for (int64_t i = 0; i < 32; ++i) {
    // At the image's own scale a 64-pixel crop spans 63 columns.
    EXPECT_NEAR(RampSpan(plain_crops[i]), 63.0, 1e-3) << i;
    // A square of r <= 128 pixels averaged to 64 spans r - r/64 columns
    // (the first and last averaging windows' centres), at least 63.
    const double span = RampSpan(scaled_crops[i]);
    EXPECT_GE(span, 63.0 - 1e-3) << i;
    EXPECT_LE(span, 126.0 + 1e-3) << i;
    widest = std::max(widest, span);
    // Averaging a ramp keeps it a ramp: every row alike, columns increasing
    // (or decreasing when flipped).
    EXPECT_TRUE(torch::allclose(scaled_crops[i][0][0], scaled_crops[i][2][50]));
  }
  // 32 draws of r uniform in [64, 128]: some must be far from 64.
  EXPECT_GT(widest, 100.0);
  std::filesystem::remove_all(dir);
}

TEST(CropDatasetTest, ScaleAugmentationStopsAtTheShorterSide) {
  const std::string dir = MakeTempDir();
  const std::vector<std::string> files = {WriteRamp(dir, 250, 80)};
  absl::StatusOr<CropDataset> data = CropDataset::Load(files, 64, 0.25);
  ASSERT_TRUE(data.ok()) << data.status();
  std::mt19937 rng(3);
  const torch::Tensor crops = data->Sample(32, rng);
  for (int64_t i = 0; i < 32; ++i) {
    // r <= 80 (the height): the span is at most 80 - 80/64 = 78.75.
    EXPECT_LE(RampSpan(crops[i]), 78.75 + 1e-3) << i;
  }
  std::filesystem::remove_all(dir);
}

TEST(CropDatasetTest, ScaleOutsideZeroToOneIsRefused) {
  const std::string dir = MakeTempDir();
  const std::vector<std::string> files = WriteFlatImages(dir, 1, 80, 70);
  for (double bad : {0.0, -0.5, 1.5, std::nan("")}) {
    EXPECT_EQ(CropDataset::Load(files, 64, bad).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vlmc::train
