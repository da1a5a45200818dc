#include "models/train/crop_dataset.h"

#include <gtest/gtest.h>

#include <filesystem>

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

}  // namespace
}  // namespace vlmc::train
