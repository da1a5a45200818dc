// Hostile-input checks: every truncation and many corruptions of small valid
// files must give an error or a well-formed image, never a crash or an
// out-of-bounds access (run under ASan to catch the latter).

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "models/image/image_io.h"
#include "models/image/jpeg_codec.h"
#include "models/image/png_codec.h"
#include "models/image/test_util.h"

namespace vlmc::image {
namespace {

// Decodes `bytes`; returns whether it succeeded, checking that any image
// returned is internally consistent.
bool DecodesCleanly(const std::string& bytes) {
  absl::StatusOr<Image> image = DecodeImage(bytes);
  if (!image.ok()) {
    EXPECT_NE(image.status().code(), absl::StatusCode::kOk);
    EXPECT_FALSE(image.status().message().empty());
    return false;
  }
  EXPECT_TRUE(ValidateImage(*image).ok());
  return true;
}

uint32_t ReadBe32(const std::string& s, size_t at) {
  return static_cast<uint32_t>(static_cast<uint8_t>(s[at])) << 24 |
         static_cast<uint32_t>(static_cast<uint8_t>(s[at + 1])) << 16 |
         static_cast<uint32_t>(static_cast<uint8_t>(s[at + 2])) << 8 |
         static_cast<uint32_t>(static_cast<uint8_t>(s[at + 3]));
}

// Recomputes every chunk CRC so corruption reaches libpng's parsers and
// zlib instead of stopping at the CRC check.
std::string FixPngCrcs(std::string png) {
  size_t at = 8;
  while (at + 12 <= png.size()) {
    const uint32_t length = ReadBe32(png, at);
    if (length > png.size() - at - 12) break;
    const uint32_t crc = test_util::Crc32(
        reinterpret_cast<const uint8_t*>(png.data() + at + 4), length + 4);
    for (int i = 0; i < 4; ++i) {
      png[at + 8 + length + i] = static_cast<char>(crc >> (24 - 8 * i));
    }
    at += 12 + length;
  }
  return png;
}

void CheckAllPrefixes(const std::string& file) {
  int failures = 0;
  for (size_t n = 0; n < file.size(); ++n) {
    if (!DecodesCleanly(file.substr(0, n))) ++failures;
  }
  EXPECT_TRUE(DecodesCleanly(file));
  // Only a missing trailer may be tolerated.
  EXPECT_GT(failures, static_cast<int>(file.size()) - 20);
}

void CheckByteFlips(const std::string& file, bool fix_png_crcs) {
  const uint8_t masks[] = {0x01, 0x80, 0xff, 0x5a};
  for (size_t i = 0; i < file.size(); ++i) {
    for (uint8_t mask : masks) {
      std::string corrupt = file;
      corrupt[i] = static_cast<char>(corrupt[i] ^ mask);
      if (fix_png_crcs) corrupt = FixPngCrcs(corrupt);
      DecodesCleanly(corrupt);
    }
  }
}

std::string SmallPng(bool interlaced) {
  const Image image = test_util::RandomImage(12, 9, 4);
  if (!interlaced) return *EncodePng(image);
  test_util::PngSpec spec{12, 9, 2 /* RGB */, 8};
  spec.interlaced = true;
  std::vector<std::vector<uint8_t>> rows;
  for (int y = 0; y < 9; ++y) {
    rows.emplace_back(image.rgb.begin() + y * 36,
                      image.rgb.begin() + (y + 1) * 36);
  }
  return test_util::WriteTestPng(spec, rows);
}

std::string SmallPalettePng() {
  test_util::PngSpec spec{10, 6, 3 /* palette */, 4};
  spec.palette = {0, 0, 0, 50, 60, 70, 255, 255, 255};
  spec.palette_alpha = {0, 255};
  std::vector<std::vector<uint8_t>> rows(6, std::vector<uint8_t>(5, 0x12));
  return test_util::WriteTestPng(spec, rows);
}

std::string SmallJpeg(bool progressive) {
  const Image image = test_util::SmoothImage(24, 20);
  if (!progressive) return *EncodeJpeg(image, 85);
  test_util::JpegSpec spec{24, 20, 3};
  spec.progressive = true;
  return test_util::WriteTestJpeg(spec, image.rgb);
}

TEST(RobustnessTest, PngPrefixes) {
  CheckAllPrefixes(SmallPng(false));
  CheckAllPrefixes(SmallPng(true));
  CheckAllPrefixes(SmallPalettePng());
}

TEST(RobustnessTest, PngByteFlips) {
  for (const std::string& png :
       {SmallPng(false), SmallPng(true), SmallPalettePng()}) {
    ASSERT_FALSE(png.empty());
    CheckByteFlips(png, /*fix_png_crcs=*/false);
    CheckByteFlips(png, /*fix_png_crcs=*/true);
  }
}

TEST(RobustnessTest, JpegPrefixes) {
  CheckAllPrefixes(SmallJpeg(false));
  CheckAllPrefixes(SmallJpeg(true));
}

TEST(RobustnessTest, JpegByteFlips) {
  for (const std::string& jpeg : {SmallJpeg(false), SmallJpeg(true)}) {
    ASSERT_FALSE(jpeg.empty());
    CheckByteFlips(jpeg, /*fix_png_crcs=*/false);
  }
}

TEST(RobustnessTest, GarbageAfterSignature) {
  const Image random = test_util::RandomImage(40, 10, 99);
  const std::string noise(random.rgb.begin(), random.rgb.end());
  DecodesCleanly(std::string("\x89PNG\r\n\x1a\n", 8) + noise);
  DecodesCleanly(std::string("\xff\xd8\xff", 3) + noise);
}

}  // namespace
}  // namespace vlmc::image
