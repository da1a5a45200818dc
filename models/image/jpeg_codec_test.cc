#include "models/image/jpeg_codec.h"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "models/image/metrics.h"
#include "models/image/test_util.h"

namespace vlmc::image {
namespace {

using test_util::JpegSpec;
using test_util::WriteTestJpeg;
using ::testing::HasSubstr;

// Returns the offset of the first SOFn marker's length field, or npos.
size_t FindSofPayload(const std::string& jpeg) {
  for (size_t i = 2; i + 9 < jpeg.size(); ++i) {
    const auto marker = static_cast<uint8_t>(jpeg[i + 1]);
    if (static_cast<uint8_t>(jpeg[i]) == 0xff &&
        (marker == 0xc0 || marker == 0xc2)) {
      return i + 2;
    }
  }
  return std::string::npos;
}

std::string WithDeclaredSize(std::string jpeg, int width, int height) {
  const size_t sof = FindSofPayload(jpeg);
  EXPECT_NE(sof, std::string::npos);
  // Length (2), precision (1), height (2), width (2).
  jpeg[sof + 3] = static_cast<char>(height >> 8);
  jpeg[sof + 4] = static_cast<char>(height);
  jpeg[sof + 5] = static_cast<char>(width >> 8);
  jpeg[sof + 6] = static_cast<char>(width);
  return jpeg;
}

TEST(JpegCodecTest, SmoothImageRoundTripsAbove30Db) {
  const Image original = test_util::SmoothImage(96, 64);
  absl::StatusOr<std::string> jpeg = EncodeJpeg(original, 90);
  ASSERT_TRUE(jpeg.ok()) << jpeg.status();
  absl::StatusOr<Image> decoded = DecodeJpeg(*jpeg);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->width, 96);
  EXPECT_EQ(decoded->height, 64);
  EXPECT_GT(*Psnr(original, *decoded), 30.0);
}

TEST(JpegCodecTest, UsesChromaSubsampling420) {
  const std::string jpeg = *EncodeJpeg(test_util::SmoothImage(16, 16), 75);
  const size_t sof = FindSofPayload(jpeg);
  ASSERT_NE(sof, std::string::npos);
  ASSERT_EQ(jpeg[sof + 7], 3);  // Components.
  // Per component: id, sampling (h << 4 | v), table.
  EXPECT_EQ(jpeg[sof + 9], 0x22);
  EXPECT_EQ(jpeg[sof + 12], 0x11);
  EXPECT_EQ(jpeg[sof + 15], 0x11);
}

TEST(JpegCodecTest, OddSizesKeepTheirDimensions) {
  const int sizes[][2] = {{1, 1}, {7, 3}, {257, 129}};
  for (const auto& size : sizes) {
    const Image original = test_util::RandomImage(size[0], size[1], 5);
    absl::StatusOr<Image> decoded = DecodeJpeg(*EncodeJpeg(original, 95));
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(decoded->width, size[0]);
    EXPECT_EQ(decoded->height, size[1]);
    EXPECT_EQ(decoded->rgb.size(), original.rgb.size());
  }
}

TEST(JpegCodecTest, GreyscaleDecodesToEqualChannels) {
  JpegSpec spec{33, 17, 1};
  std::vector<uint8_t> grey(33 * 17);
  for (size_t i = 0; i < grey.size(); ++i)
    grey[i] = static_cast<uint8_t>(i % 33 * 7);
  const std::string jpeg = WriteTestJpeg(spec, grey);
  ASSERT_FALSE(jpeg.empty());
  absl::StatusOr<Image> image = DecodeJpeg(jpeg);
  ASSERT_TRUE(image.ok()) << image.status();
  ASSERT_EQ(image->rgb.size(), grey.size() * 3);
  int max_error = 0;
  for (size_t i = 0; i < grey.size(); ++i) {
    const uint8_t* p = &image->rgb[3 * i];
    EXPECT_EQ(p[0], p[1]);
    EXPECT_EQ(p[1], p[2]);
    max_error = std::max(max_error, std::abs(p[0] - grey[i]));
  }
  EXPECT_LT(max_error, 16);
}

TEST(JpegCodecTest, DecodesProgressive) {
  const Image original = test_util::SmoothImage(40, 24);
  JpegSpec spec{40, 24, 3};
  spec.progressive = true;
  absl::StatusOr<Image> image = DecodeJpeg(WriteTestJpeg(spec, original.rgb));
  ASSERT_TRUE(image.ok()) << image.status();
  EXPECT_GT(*Psnr(original, *image), 30.0);
}

TEST(JpegCodecTest, ConvertsAdobeCmyk) {
  // Adobe CMYK is stored inverted: (255, 0, 0, 255) means C=0, M=Y=1, K=0,
  // i.e. pure red.
  JpegSpec spec{16, 16, 4};
  std::vector<uint8_t> cmyk;
  for (int i = 0; i < 16 * 16; ++i) cmyk.insert(cmyk.end(), {255, 0, 0, 255});
  absl::StatusOr<Image> image = DecodeJpeg(WriteTestJpeg(spec, cmyk));
  ASSERT_TRUE(image.ok()) << image.status();
  ASSERT_EQ(image->rgb.size(), 16u * 16 * 3);
  EXPECT_NEAR(image->rgb[0], 255, 3);
  EXPECT_NEAR(image->rgb[1], 0, 3);
  EXPECT_NEAR(image->rgb[2], 0, 3);
}

TEST(JpegCodecTest, TruncationIsAnError) {
  const std::string jpeg = *EncodeJpeg(test_util::RandomImage(32, 32, 9), 90);
  absl::StatusOr<Image> image = DecodeJpeg(jpeg.substr(0, jpeg.size() / 2));
  EXPECT_EQ(image.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(image.status().message(),
              HasSubstr("JPEG decode failed: Premature end"));
}

// Progressive files can repeat scans without limit, each costing a pass over
// the image: a cheap way to burn CPU.
TEST(JpegCodecTest, RejectsExcessiveScanCount) {
  JpegSpec spec{16, 16, 3};
  spec.progressive = true;
  const std::string jpeg =
      WriteTestJpeg(spec, test_util::SmoothImage(16, 16).rgb);
  const size_t last_scan = jpeg.rfind("\xff\xda");
  ASSERT_NE(last_scan, std::string::npos);
  const std::string body = jpeg.substr(0, jpeg.size() - 2);  // Drop EOI.
  const std::string scan = body.substr(last_scan);
  auto with_extra_scans = [&](int n) {
    std::string out = body;
    for (int i = 0; i < n; ++i) out += scan;
    return out + "\xff\xd9";
  };
  EXPECT_TRUE(DecodeJpeg(with_extra_scans(900)).ok());
  absl::StatusOr<Image> image = DecodeJpeg(with_extra_scans(1200));
  EXPECT_EQ(image.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(image.status().message(), HasSubstr("scans"));
}

TEST(JpegCodecTest, RejectsHugeDeclaredDimensionsBeforeAllocating) {
  const std::string jpeg = WithDeclaredSize(
      *EncodeJpeg(test_util::SmoothImage(16, 16), 75), 65000, 65000);
  absl::StatusOr<Image> image = DecodeJpeg(jpeg);
  EXPECT_EQ(image.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(image.status().message(), HasSubstr("65000x65000"));
  EXPECT_THAT(image.status().message(), HasSubstr("max_dimension"));

  DecodeLimits limits;
  limits.max_dimension = 65535;
  image = DecodeJpeg(jpeg, limits);
  EXPECT_EQ(image.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(image.status().message(), HasSubstr("max_pixels"));
}

TEST(JpegCodecTest, EncodeRejectsBadArguments) {
  const Image image = test_util::SmoothImage(8, 8);
  EXPECT_EQ(EncodeJpeg(image, 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(EncodeJpeg(image, 101).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(EncodeJpeg(Image(), 90).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(JpegCodecTest, RejectsNonJpeg) {
  for (const std::string& bytes :
       {std::string(), std::string("\xff\xd8"), std::string("hello world")}) {
    absl::StatusOr<Image> image = DecodeJpeg(bytes);
    EXPECT_EQ(image.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(image.status().message(), HasSubstr("JPEG decode failed"));
  }
}

}  // namespace
}  // namespace vlmc::image
