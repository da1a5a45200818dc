#include "server/lvlm_ref/infer_input.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "gtest/gtest.h"

namespace vlmc::lvlm_ref {
namespace {

v1::Tensor MakeTensor(const std::vector<int64_t>& shape,
                      const std::vector<float>& values) {
  v1::Tensor tensor;
  for (int64_t d : shape) tensor.add_shape(d);
  tensor.set_data(std::string(reinterpret_cast<const char*>(values.data()),
                              values.size() * sizeof(float)));
  return tensor;
}

TEST(ImageFromTensorTest, PlanesBecomeInterleavedRgbRoundedAndClamped) {
  // 1x2 image: R plane {0, 1}, G plane {0.5, -3}, B plane {2, 100/255}.
  const v1::Tensor tensor =
      MakeTensor({1, 3, 1, 2}, {0.0f, 1.0f, 0.5f, -3.0f, 2.0f, 100 / 255.0f});
  absl::StatusOr<image::Image> img = ImageFromTensor(tensor, {});
  ASSERT_TRUE(img.ok()) << img.status();
  EXPECT_EQ(img->width, 2);
  EXPECT_EQ(img->height, 1);
  EXPECT_EQ(img->rgb, (std::vector<uint8_t>{0, 128, 255, 255, 0, 100}));
}

TEST(ImageFromTensorTest, RejectsShapesThatDoNotMatchTheContract) {
  const std::vector<float> six(6, 0.5f);
  for (const std::vector<int64_t>& shape :
       std::vector<std::vector<int64_t>>{{3, 1, 2},
                                         {2, 3, 1, 1},
                                         {1, 4, 1, 2},
                                         {1, 3, 0, 2},
                                         {1, 3, -1, -6}}) {
    absl::StatusOr<image::Image> img =
        ImageFromTensor(MakeTensor(shape, six), {});
    EXPECT_EQ(img.status().code(), absl::StatusCode::kInvalidArgument)
        << shape.size();
  }
}

TEST(ImageFromTensorTest, RejectsDataOfTheWrongSize) {
  absl::StatusOr<image::Image> img =
      ImageFromTensor(MakeTensor({1, 3, 2, 2}, std::vector<float>(11)), {});
  EXPECT_EQ(img.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(img.status().message().find("needs 48"), absl::string_view::npos)
      << img.status();
}

TEST(ImageFromTensorTest, RejectsSizesBeyondTheLimitsBeforeReadingData) {
  image::DecodeLimits limits;
  limits.max_dimension = 100;
  absl::StatusOr<image::Image> img =
      ImageFromTensor(MakeTensor({1, 3, 1, 101}, {}), limits);
  EXPECT_EQ(img.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(img.status().message().find("max_dimension"),
            absl::string_view::npos)
      << img.status();
}

TEST(ImageFromTensorTest, RejectsNonFiniteValues) {
  absl::StatusOr<image::Image> img = ImageFromTensor(
      MakeTensor({1, 3, 1, 1},
                 {0.1f, std::numeric_limits<float>::quiet_NaN(), 0.2f}),
      {});
  EXPECT_EQ(img.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(InputImageTest, NeedsAnInputAndAValidImageFile) {
  v1::InferRequest request;
  EXPECT_EQ(InputImage(request, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  request.set_image("not an image");
  EXPECT_EQ(InputImage(request, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vlmc::lvlm_ref
