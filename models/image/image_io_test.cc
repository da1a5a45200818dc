#include "models/image/image_io.h"

#include <cstdio>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "models/image/jpeg_codec.h"
#include "models/image/png_codec.h"
#include "models/image/test_util.h"

namespace vlmc::image {
namespace {

using ::testing::HasSubstr;

std::string TempPath(const std::string& name) {
  return ::testing::TempDir() + "vlmc_image_io_test_" + name;
}

TEST(DecodeImageTest, DispatchesOnSignature) {
  const Image original = test_util::RandomImage(9, 4, 11);
  absl::StatusOr<Image> png = DecodeImage(*EncodePng(original));
  ASSERT_TRUE(png.ok()) << png.status();
  EXPECT_EQ(png->rgb, original.rgb);
  absl::StatusOr<Image> jpeg = DecodeImage(*EncodeJpeg(original, 90));
  ASSERT_TRUE(jpeg.ok()) << jpeg.status();
  EXPECT_EQ(jpeg->width, 9);
}

TEST(DecodeImageTest, RejectsUnknownFormats) {
  for (const std::string& bytes :
       {std::string(), std::string("GIF89a\x01\x00\x01\x00"),
        std::string("BM\0\0\0\0", 6), std::string("\x89PN")}) {
    absl::StatusOr<Image> image = DecodeImage(bytes);
    EXPECT_EQ(image.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(image.status().message(),
              "unsupported image format (expected PNG or JPEG)");
  }
}

TEST(DecodeImageTest, PassesLimitsThrough) {
  DecodeLimits limits;
  limits.max_dimension = 8;
  const Image image = test_util::RandomImage(9, 4, 11);
  EXPECT_FALSE(DecodeImage(*EncodePng(image), limits).ok());
  EXPECT_FALSE(DecodeImage(*EncodeJpeg(image, 90), limits).ok());
}

TEST(ImageFileTest, WriteThenReadRoundTrips) {
  const std::string path = TempPath("roundtrip.png");
  const Image original = test_util::RandomImage(17, 5, 2);
  ASSERT_TRUE(WritePngFile(original, path).ok());
  absl::StatusOr<Image> read = ReadImageFile(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->rgb, original.rgb);
  std::remove(path.c_str());
}

TEST(ImageFileTest, MissingFileIsNotFound) {
  const std::string path = TempPath("does_not_exist.png");
  absl::StatusOr<Image> image = ReadImageFile(path);
  EXPECT_EQ(image.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(image.status().message(), HasSubstr(path));
}

TEST(ImageFileTest, DirectoryIsAnError) {
  EXPECT_FALSE(ReadImageFile(::testing::TempDir()).ok());
}

TEST(ImageFileTest, CorruptFileNamesPathAndProblem) {
  const std::string path = TempPath("corrupt.png");
  {
    std::ofstream out(path, std::ios::binary);
    out << "\x89PNG\r\n\x1a\n garbage";
  }
  absl::StatusOr<Image> image = ReadImageFile(path);
  EXPECT_EQ(image.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(image.status().message(), HasSubstr(path));
  EXPECT_THAT(image.status().message(), HasSubstr("PNG decode failed"));
  std::remove(path.c_str());
}

TEST(ImageFileTest, WriteFailuresAreReported) {
  const Image image = test_util::RandomImage(2, 2, 1);
  EXPECT_FALSE(WritePngFile(image, TempPath("no_such_dir/x.png")).ok());
  EXPECT_EQ(WritePngFile(Image(), TempPath("invalid.png")).code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vlmc::image
