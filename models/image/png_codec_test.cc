#include "models/image/png_codec.h"

#include <png.h>

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "models/image/test_util.h"

namespace vlmc::image {
namespace {

using test_util::PngSpec;
using test_util::WriteTestPng;
using ::testing::HasSubstr;

using Rows = std::vector<std::vector<uint8_t>>;

Image Decoded(const std::string& png) {
  absl::StatusOr<Image> image = DecodePng(png);
  EXPECT_TRUE(image.ok()) << image.status();
  return image.ok() ? *image : Image();
}

std::vector<uint8_t> Pixel(const Image& image, int x, int y) {
  const auto* p = &image.rgb[(static_cast<size_t>(y) * image.width + x) * 3];
  return {p[0], p[1], p[2]};
}

TEST(PngCodecTest, RoundTripIsBitExact) {
  const int sizes[][2] = {{1, 1}, {7, 3}, {257, 129}};
  for (const auto& size : sizes) {
    const Image original = test_util::RandomImage(size[0], size[1], 42);
    absl::StatusOr<std::string> png = EncodePng(original);
    ASSERT_TRUE(png.ok()) << png.status();
    const Image decoded = Decoded(*png);
    EXPECT_EQ(decoded.width, size[0]);
    EXPECT_EQ(decoded.height, size[1]);
    EXPECT_EQ(decoded.rgb, original.rgb);
  }
}

TEST(PngCodecTest, EveryCompressionLevelRoundTripsAndHigherLevelsShrink) {
  const Image original = test_util::SmoothImage(96, 64);
  size_t stored_bytes = 0, smallest_bytes = 0;
  for (int level = 0; level <= 9; ++level) {
    absl::StatusOr<std::string> png = EncodePng(original, level);
    ASSERT_TRUE(png.ok()) << "level " << level << ": " << png.status();
    EXPECT_EQ(Decoded(*png).rgb, original.rgb) << "level " << level;
    if (level == 0) stored_bytes = png->size();
    if (level == 9) smallest_bytes = png->size();
  }
  // Level 0 stores the filtered rows uncompressed.
  EXPECT_GT(stored_bytes, original.rgb.size());
  EXPECT_LT(smallest_bytes, stored_bytes / 2);
}

TEST(PngCodecTest, EncodeRejectsCompressionLevelOutsideZeroToNine) {
  const Image image = test_util::RandomImage(4, 4, 1);
  for (int level : {-1, 10}) {
    absl::StatusOr<std::string> png = EncodePng(image, level);
    EXPECT_EQ(png.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(png.status().message(), testing::HasSubstr("outside 0..9"));
  }
}

TEST(PngCodecTest, EncodeRejectsInvalidImage) {
  Image image;
  image.width = 2;
  image.height = 2;
  image.rgb.resize(3);
  EXPECT_EQ(EncodePng(image).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(PngCodecTest, DecodesGrey8) {
  PngSpec spec{3, 1, PNG_COLOR_TYPE_GRAY, 8};
  const Image image = Decoded(WriteTestPng(spec, Rows{{0, 77, 255}}));
  ASSERT_EQ(image.width, 3);
  EXPECT_EQ(Pixel(image, 0, 0), (std::vector<uint8_t>{0, 0, 0}));
  EXPECT_EQ(Pixel(image, 1, 0), (std::vector<uint8_t>{77, 77, 77}));
  EXPECT_EQ(Pixel(image, 2, 0), (std::vector<uint8_t>{255, 255, 255}));
}

TEST(PngCodecTest, ExpandsLowBitDepthGrey) {
  // 2-bit samples 0..3 scale to 0, 85, 170, 255.
  PngSpec spec{4, 1, PNG_COLOR_TYPE_GRAY, 2};
  const Image image = Decoded(WriteTestPng(spec, Rows{{0b00011011}}));
  ASSERT_EQ(image.width, 4);
  for (int x = 0; x < 4; ++x) EXPECT_EQ(Pixel(image, x, 0)[1], 85 * x);

  PngSpec one_bit{9, 1, PNG_COLOR_TYPE_GRAY, 1};
  const Image bits = Decoded(WriteTestPng(one_bit, Rows{{0b10100000, 0x80}}));
  ASSERT_EQ(bits.width, 9);
  EXPECT_EQ(Pixel(bits, 0, 0)[0], 255);
  EXPECT_EQ(Pixel(bits, 1, 0)[0], 0);
  EXPECT_EQ(Pixel(bits, 8, 0)[2], 255);
}

TEST(PngCodecTest, DropsGreyAlpha) {
  PngSpec spec{2, 1, PNG_COLOR_TYPE_GRAY_ALPHA, 8};
  const Image image = Decoded(WriteTestPng(spec, Rows{{10, 0, 200, 128}}));
  ASSERT_EQ(image.rgb.size(), 6u);
  EXPECT_EQ(image.rgb, (std::vector<uint8_t>{10, 10, 10, 200, 200, 200}));
}

TEST(PngCodecTest, DropsRgbaAlpha) {
  PngSpec spec{2, 2, PNG_COLOR_TYPE_RGBA, 8};
  const Image image = Decoded(WriteTestPng(
      spec, Rows{{1, 2, 3, 0, 4, 5, 6, 255}, {7, 8, 9, 10, 11, 12, 13, 14}}));
  EXPECT_EQ(image.rgb,
            (std::vector<uint8_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13}));
}

TEST(PngCodecTest, Reduces16BitSamples) {
  // v * 257 is the exact 16-bit equivalent of the 8-bit value v.
  PngSpec rgb{1, 1, PNG_COLOR_TYPE_RGB, 16};
  EXPECT_EQ(
      Decoded(WriteTestPng(rgb, Rows{{0x0a, 0x0a, 0xc8, 0xc8, 0, 0}})).rgb,
      (std::vector<uint8_t>{10, 200, 0}));
  PngSpec grey_alpha{1, 1, PNG_COLOR_TYPE_GRAY_ALPHA, 16};
  EXPECT_EQ(
      Decoded(WriteTestPng(grey_alpha, Rows{{0x63, 0x63, 0x12, 0x34}})).rgb,
      (std::vector<uint8_t>{0x63, 0x63, 0x63}));
  PngSpec rgba{1, 1, PNG_COLOR_TYPE_RGBA, 16};
  EXPECT_EQ(
      Decoded(WriteTestPng(rgba, Rows{{0xff, 0xff, 1, 1, 0x80, 0x80, 0, 0}}))
          .rgb,
      (std::vector<uint8_t>{255, 1, 128}));
}

TEST(PngCodecTest, ExpandsPaletteAndIgnoresItsTransparency) {
  PngSpec spec{3, 1, PNG_COLOR_TYPE_PALETTE, 8};
  spec.palette = {255, 0, 0, 0, 255, 0, 0, 0, 255};
  spec.palette_alpha = {0, 128};
  const Image image = Decoded(WriteTestPng(spec, Rows{{2, 0, 1}}));
  EXPECT_EQ(image.rgb, (std::vector<uint8_t>{0, 0, 255, 255, 0, 0, 0, 255, 0}));

  PngSpec four_bit{3, 1, PNG_COLOR_TYPE_PALETTE, 4};
  four_bit.palette = {9, 8, 7, 6, 5, 4};
  EXPECT_EQ(Decoded(WriteTestPng(four_bit, Rows{{0x10, 0x10}})).rgb,
            (std::vector<uint8_t>{6, 5, 4, 9, 8, 7, 6, 5, 4}));
}

TEST(PngCodecTest, IgnoresColourKey) {
  PngSpec spec{2, 1, PNG_COLOR_TYPE_RGB, 8};
  spec.trns_color = {1, 2, 3};
  EXPECT_EQ(Decoded(WriteTestPng(spec, Rows{{1, 2, 3, 4, 5, 6}})).rgb,
            (std::vector<uint8_t>{1, 2, 3, 4, 5, 6}));
}

TEST(PngCodecTest, DecodesInterlaced) {
  const Image original = test_util::RandomImage(13, 11, 7);
  PngSpec spec{13, 11, PNG_COLOR_TYPE_RGB, 8};
  spec.interlaced = true;
  Rows rows;
  for (int y = 0; y < 11; ++y) {
    rows.emplace_back(original.rgb.begin() + y * 13 * 3,
                      original.rgb.begin() + (y + 1) * 13 * 3);
  }
  EXPECT_EQ(Decoded(WriteTestPng(spec, rows)).rgb, original.rgb);
}

TEST(PngCodecTest, AppliesLimits) {
  const std::string png = *EncodePng(test_util::RandomImage(7, 3, 1));
  DecodeLimits limits;
  limits.max_dimension = 6;
  absl::StatusOr<Image> image = DecodePng(png, limits);
  EXPECT_EQ(image.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(image.status().message(), HasSubstr("max_dimension"));
  limits.max_dimension = 7;
  limits.max_pixels = 20;
  image = DecodePng(png, limits);
  EXPECT_EQ(image.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(image.status().message(), HasSubstr("max_pixels"));
  limits.max_pixels = 21;
  EXPECT_TRUE(DecodePng(png, limits).ok());
}

// A valid header declaring 100000 x 100000 RGB (30 GB of pixels) followed by
// a token IDAT: must be refused from the header alone.
TEST(PngCodecTest, RejectsHugeDeclaredDimensionsBeforeAllocating) {
  std::string ihdr = {0,
                      1,
                      static_cast<char>(0x86),
                      static_cast<char>(0xa0),
                      0,
                      1,
                      static_cast<char>(0x86),
                      static_cast<char>(0xa0),
                      8,
                      PNG_COLOR_TYPE_RGB,
                      0,
                      0,
                      0};
  const std::string png = std::string("\x89PNG\r\n\x1a\n", 8) +
                          test_util::PngChunk("IHDR", ihdr) +
                          test_util::PngChunk("IDAT", std::string(16, '\0')) +
                          test_util::PngChunk("IEND", "");
  absl::StatusOr<Image> image = DecodePng(png);
  EXPECT_EQ(image.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(image.status().message(), HasSubstr("100000x100000"));
  EXPECT_THAT(image.status().message(), HasSubstr("max_dimension"));

  DecodeLimits limits;
  limits.max_dimension = 1 << 20;
  image = DecodePng(png, limits);
  EXPECT_EQ(image.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(image.status().message(), HasSubstr("max_pixels"));
}

TEST(PngCodecTest, RejectsNonPng) {
  for (const std::string& bytes :
       {std::string(), std::string("\x89PNG"), std::string("GIF89a......")}) {
    absl::StatusOr<Image> image = DecodePng(bytes);
    EXPECT_EQ(image.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(image.status().message(), HasSubstr("PNG decode failed"));
  }
}

TEST(PngCodecTest, ReportsCorruptionInOneLine) {
  std::string png = *EncodePng(test_util::RandomImage(5, 5, 3));
  png[20] ^= 0x40;  // Inside IHDR: CRC mismatch.
  absl::StatusOr<Image> image = DecodePng(png);
  EXPECT_EQ(image.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(image.status().message(), HasSubstr("PNG decode failed: "));
  EXPECT_THAT(std::string(image.status().message()),
              ::testing::Not(HasSubstr("\n")));
}

}  // namespace
}  // namespace vlmc::image
