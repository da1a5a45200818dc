#include "bench/baseline_codecs.h"

#include "bench/subprocess.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "models/image/metrics.h"

namespace vlmc::bench {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// A smooth 64x48 gradient: easy to code well.
image::Image Gradient() {
  image::Image img;
  img.width = 64;
  img.height = 48;
  for (int y = 0; y < img.height; ++y) {
    for (int x = 0; x < img.width; ++x) {
      img.rgb.push_back(static_cast<uint8_t>(x * 4));
      img.rgb.push_back(static_cast<uint8_t>(y * 5));
      img.rgb.push_back(static_cast<uint8_t>(128 + (x - y)));
    }
  }
  return img;
}

void ExpectCodes(BaselineCodec codec, const char* encoder) {
  if (!FindInPath(encoder).ok()) GTEST_SKIP() << encoder << " not installed";
  const image::Image src = Gradient();
  absl::StatusOr<BaselineResult> lo = RunBaseline(codec, src, 10);
  absl::StatusOr<BaselineResult> hi = RunBaseline(codec, src, 90);
  ASSERT_TRUE(lo.ok()) << lo.status();
  ASSERT_TRUE(hi.ok()) << hi.status();
  EXPECT_GT(lo->bytes, 0);
  EXPECT_LT(lo->bytes, hi->bytes);
  EXPECT_EQ(hi->decoded.width, 64);
  EXPECT_EQ(hi->decoded.height, 48);
  absl::StatusOr<double> psnr_lo = image::Psnr(src, lo->decoded);
  absl::StatusOr<double> psnr_hi = image::Psnr(src, hi->decoded);
  ASSERT_TRUE(psnr_lo.ok() && psnr_hi.ok());
  EXPECT_GT(*psnr_hi, 35);
  EXPECT_LT(*psnr_lo, *psnr_hi);
  EXPECT_THAT(hi->encode_command, StartsWith(std::string(encoder) + " "));
  EXPECT_THAT(hi->encode_command, HasSubstr(hi->work_dir));
}

TEST(BaselineCodecsTest, JpegRoundTrip) {
  ExpectCodes(BaselineCodec::kJpeg, "cjpeg");
}

TEST(BaselineCodecsTest, WebpRoundTrip) {
  ExpectCodes(BaselineCodec::kWebp, "cwebp");
}

TEST(BaselineCodecsTest, JpegCommandLineIsExact) {
  if (!FindInPath("cjpeg").ok()) GTEST_SKIP() << "cjpeg not installed";
  absl::StatusOr<BaselineResult> r =
      RunBaseline(BaselineCodec::kJpeg, Gradient(), 75);
  ASSERT_TRUE(r.ok()) << r.status();
  const std::string& w = r->work_dir;
  EXPECT_EQ(r->encode_command,
            "cjpeg -quality 75 -sample 2x2 -optimize -outfile " + w +
                "/out.jpg " + w + "/in.ppm");
  EXPECT_EQ(r->decode_command,
            "djpeg -ppm -outfile " + w + "/dec.ppm " + w + "/out.jpg");
}

TEST(BaselineCodecsTest, RejectsBadArguments) {
  EXPECT_FALSE(ParseBaselineCodec("avif").ok());
  EXPECT_EQ(*ParseBaselineCodec("webp"), BaselineCodec::kWebp);
  EXPECT_EQ(RunBaseline(BaselineCodec::kJpeg, Gradient(), 101).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(RunBaseline(BaselineCodec::kJpeg, image::Image{}, 50).ok());
}

}  // namespace
}  // namespace vlmc::bench
