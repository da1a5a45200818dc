#include "models/image/image.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vlmc::image {
namespace {

using ::testing::HasSubstr;

TEST(FromRawRgbTest, CopiesBytes) {
  const std::string bytes = "abcdef";
  absl::StatusOr<Image> image = FromRawRgb(bytes, 2, 1);
  ASSERT_TRUE(image.ok()) << image.status();
  EXPECT_EQ(image->width, 2);
  EXPECT_EQ(image->height, 1);
  EXPECT_EQ(std::string(image->rgb.begin(), image->rgb.end()), bytes);
}

TEST(FromRawRgbTest, RejectsSizeMismatch) {
  for (const std::string& bytes : {std::string(5, 'x'), std::string(7, 'x')}) {
    absl::StatusOr<Image> image = FromRawRgb(bytes, 2, 1);
    EXPECT_EQ(image.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(image.status().message(), HasSubstr("expected 6"));
  }
}

TEST(FromRawRgbTest, RejectsBadDimensions) {
  EXPECT_FALSE(FromRawRgb("", 0, 0).ok());
  EXPECT_FALSE(FromRawRgb("", -1, 5).ok());
  // Would overflow 32-bit arithmetic if the check were done in int.
  EXPECT_FALSE(FromRawRgb("abc", 65536, 65536).ok());
}

TEST(ValidateImageTest, ChecksBufferSize) {
  Image image;
  EXPECT_FALSE(ValidateImage(image).ok());
  image.width = 2;
  image.height = 2;
  image.rgb.resize(11);
  EXPECT_FALSE(ValidateImage(image).ok());
  image.rgb.resize(12);
  EXPECT_TRUE(ValidateImage(image).ok());
}

TEST(CheckDecodeLimitsTest, NamesTheLimit) {
  DecodeLimits limits;
  limits.max_dimension = 100;
  limits.max_pixels = 1000;
  EXPECT_TRUE(CheckDecodeLimits("PNG", 100, 10, limits).ok());
  absl::Status s = CheckDecodeLimits("PNG", 101, 1, limits);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("max_dimension"));
  s = CheckDecodeLimits("JPEG", 100, 11, limits);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("max_pixels"));
  EXPECT_FALSE(CheckDecodeLimits("PNG", 0, 1, limits).ok());
}

}  // namespace
}  // namespace vlmc::image
