#include "bench/rate_accuracy/rate_codec.h"

#include <filesystem>

#include "absl/status/status.h"
#include "bench/subprocess.h"
#include "client/model_path.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vlmc::bench {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

image::Image Gradient(int w, int h) {
  image::Image img;
  img.width = w;
  img.height = h;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      img.rgb.push_back(static_cast<uint8_t>(x * 3));
      img.rgb.push_back(static_cast<uint8_t>(y * 4));
      img.rgb.push_back(static_cast<uint8_t>(128 + x - y));
    }
  }
  return img;
}

TEST(RateCodecTest, BaselineReportsBytesTimesAndPortableCommands) {
  if (!FindInPath("cjpeg").ok()) GTEST_SKIP() << "cjpeg not installed";
  absl::StatusOr<std::unique_ptr<RateCodec>> jpeg =
      MakeRateCodec("jpeg", "unused");
  ASSERT_TRUE(jpeg.ok()) << jpeg.status();
  EXPECT_EQ((*jpeg)->name(), "jpeg");
  const image::Image img = Gradient(64, 48);
  absl::StatusOr<CodedImage> low = (*jpeg)->Code(img, 10);
  absl::StatusOr<CodedImage> high = (*jpeg)->Code(img, 90);
  ASSERT_TRUE(low.ok() && high.ok());
  EXPECT_GT(low->bytes, 0);
  EXPECT_GT(high->bytes, low->bytes);
  EXPECT_EQ(low->decoded.width, 64);
  EXPECT_EQ(low->decoded.height, 48);
  EXPECT_GT(low->encode_ms, 0);
  EXPECT_GT(low->decode_ms, 0);
  EXPECT_THAT(low->encode_command, StartsWith("cjpeg -quality 10 "));
  EXPECT_THAT(low->encode_command, HasSubstr("$WORK/out.jpg"));
  EXPECT_THAT(low->decode_command, StartsWith("djpeg "));
  absl::StatusOr<std::vector<std::string>> versions = (*jpeg)->Describe();
  ASSERT_TRUE(versions.ok());
  EXPECT_THAT(versions->front(), StartsWith("cjpeg: "));
}

TEST(RateCodecTest, VlmcCodesWithTheShippedModel) {
  const std::string model = cli::DefaultModelPath();
  if (!std::filesystem::exists(model)) GTEST_SKIP() << model << " missing";
  absl::StatusOr<std::unique_ptr<RateCodec>> vlmc =
      MakeRateCodec("vlmc", model);
  ASSERT_TRUE(vlmc.ok()) << vlmc.status();
  EXPECT_EQ((*vlmc)->name(), "vlmc");
  const image::Image img = Gradient(64, 64);
  absl::StatusOr<CodedImage> low = (*vlmc)->Code(img, 0);
  absl::StatusOr<CodedImage> high = (*vlmc)->Code(img, 1);
  ASSERT_TRUE(low.ok()) << low.status();
  ASSERT_TRUE(high.ok()) << high.status();
  EXPECT_GT(high->bytes, low->bytes);
  EXPECT_EQ(high->decoded.width, 64);
  EXPECT_GE(high->encode_ms, 0);
  EXPECT_THAT(high->encode_command, HasSubstr("vlmc encode in.png -q 1 "));
  absl::StatusOr<std::vector<std::string>> described = (*vlmc)->Describe();
  ASSERT_TRUE(described.ok());
  EXPECT_THAT(described->front(), HasSubstr(model));
}

TEST(RateCodecTest, UnknownCodecOrMissingModelFails) {
  EXPECT_EQ(MakeRateCodec("vvc", "").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      MakeRateCodec("vlmc", "/nonexistent/model.safetensors").status().code(),
      absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace vlmc::bench
