#include "models/codec/image_tensor.h"

#include "gtest/gtest.h"

namespace vlmc::codec {
namespace {

TEST(ImageTensorTest, PaddedExtentRoundsUpToTheMultiple) {
  EXPECT_EQ(PaddedExtent(1), 64);
  EXPECT_EQ(PaddedExtent(64), 64);
  EXPECT_EQ(PaddedExtent(65), 128);
  EXPECT_EQ(PaddedExtent(768), 768);
}

TEST(ImageTensorTest, ScalesToUnitRangeAndReplicatesTheBorder) {
  image::Image image;
  image.width = 65;
  image.height = 3;
  image.rgb.resize(static_cast<size_t>(image.width) * image.height * 3);
  for (size_t i = 0; i < image.rgb.size(); ++i) image.rgb[i] = i % 256;
  const torch::Tensor x = PaddedImageTensor(image);
  ASSERT_EQ(x.sizes(), (std::vector<int64_t>{1, 3, 64, 128}));
  auto pixel = [&](int row, int col, int channel) {
    return image.rgb[(static_cast<size_t>(row) * image.width + col) * 3 +
                     channel] /
           255.0f;
  };
  // Inside the image: the pixel itself, channel-first.
  EXPECT_FLOAT_EQ(x[0][1][2][7].item<float>(), pixel(2, 7, 1));
  // Right of the image: the last column; below it: the last row.
  EXPECT_FLOAT_EQ(x[0][0][1][127].item<float>(), pixel(1, 64, 0));
  EXPECT_FLOAT_EQ(x[0][2][63][5].item<float>(), pixel(2, 5, 2));
  EXPECT_FLOAT_EQ(x[0][2][63][100].item<float>(), pixel(2, 64, 2));
}

}  // namespace
}  // namespace vlmc::codec
