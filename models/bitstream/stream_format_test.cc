// Header validation, WriteStream's input checks and the quality mapping.

#include "models/bitstream/stream_format.h"

#include <cmath>
#include <limits>
#include <string>

#include "gtest/gtest.h"

namespace vlmc::bitstream {
namespace {

StreamHeader GoodHeader() {
  StreamHeader h;
  h.model_id = "vlmc-base_v1.2";
  h.model_version = 3;
  h.weights_hash = {1, 2, 3, 4, 5, 6, 7, 8};
  h.width = 640;
  h.height = 480;
  h.quality_code = 1234;
  return h;
}

TEST(ValidateHeaderTest, AcceptsGoodHeaders) {
  EXPECT_TRUE(ValidateHeader(GoodHeader(), Limits{}).ok());
  StreamHeader h = GoodHeader();
  h.model_id = "abcdefghijklmnopqrstuvwxyz0123456789._-";
  EXPECT_TRUE(ValidateHeader(h, Limits{}).ok());
  h.model_id = std::string(kMaxModelIdLength, 'z');
  h.width = h.height = 1;
  EXPECT_TRUE(ValidateHeader(h, Limits{}).ok());
  h.width = 16384;
  h.height = (1u << 27) / 16384;  // exactly max_pixels
  EXPECT_TRUE(ValidateHeader(h, Limits{}).ok());
}

TEST(ValidateHeaderTest, RejectsFormatViolations) {
  for (const std::string& id :
       {std::string(), std::string(kMaxModelIdLength + 1, 'a'),
        std::string("Model"), std::string("a b"), std::string("a/b"),
        std::string("a\nb"), std::string("a\0b", 3), std::string("caf\xC3\xA9"),
        std::string("a+b")}) {
    StreamHeader h = GoodHeader();
    h.model_id = id;
    const absl::Status s = ValidateHeader(h, Limits{});
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << id;
    EXPECT_NE(s.message().find("model id"), absl::string_view::npos) << s;
    EXPECT_EQ(s.message().find('\n'), absl::string_view::npos) << s;
  }
  StreamHeader h = GoodHeader();
  h.width = 0;
  EXPECT_EQ(ValidateHeader(h, Limits{}).code(),
            absl::StatusCode::kInvalidArgument);
  h = GoodHeader();
  h.height = 0;
  EXPECT_EQ(ValidateHeader(h, Limits{}).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ValidateHeaderTest, RejectsSizesBeyondLimitsNamingTheLimit) {
  Limits limits;
  limits.max_width = 100;
  limits.max_height = 50;
  limits.max_pixels = 1000;
  StreamHeader h = GoodHeader();
  h.width = 101;
  h.height = 1;
  absl::Status s = ValidateHeader(h, limits);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("max_width"), absl::string_view::npos) << s;
  h.width = 1;
  h.height = 51;
  s = ValidateHeader(h, limits);
  EXPECT_NE(s.message().find("max_height"), absl::string_view::npos) << s;
  h.width = 100;
  h.height = 11;
  s = ValidateHeader(h, limits);
  EXPECT_NE(s.message().find("max_pixels"), absl::string_view::npos) << s;
  h.height = 10;
  EXPECT_TRUE(ValidateHeader(h, limits).ok());
}

TEST(WriteStreamTest, RejectsInvalidHeaders) {
  StreamHeader h = GoodHeader();
  h.model_id = "Bad";
  EXPECT_EQ(WriteStream(h, "z", "y").status().code(),
            absl::StatusCode::kInvalidArgument);
  h = GoodHeader();
  h.model_id = "";
  EXPECT_EQ(WriteStream(h, "z", "y").status().code(),
            absl::StatusCode::kInvalidArgument);
  h = GoodHeader();
  h.model_id = std::string(kMaxModelIdLength + 1, 'a');
  EXPECT_EQ(WriteStream(h, "z", "y").status().code(),
            absl::StatusCode::kInvalidArgument);
  h = GoodHeader();
  h.height = 0;
  EXPECT_EQ(WriteStream(h, "z", "y").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(WriteStreamTest, DoesNotApplyDecoderLimits) {
  // Limits are decoder policy; the format itself allows any u32 size.
  StreamHeader h = GoodHeader();
  h.width = h.height = 0xFFFFFFFFu;
  EXPECT_TRUE(WriteStream(h, "", "").ok());
  EXPECT_FALSE(ValidateHeader(h, Limits{}).ok());
}

TEST(QualityTest, EndpointsAndRounding) {
  EXPECT_EQ(QualityToCode(0.0), 0);
  EXPECT_EQ(QualityToCode(1.0), 65535);
  EXPECT_EQ(QualityToCode(0.5), 32768);  // 32767.5 rounds half away from zero
  EXPECT_EQ(QualityToCode(1.0 / 65535.0), 1);
  EXPECT_EQ(QualityToCode(0.49 / 65535.0), 0);
  EXPECT_EQ(QualityToCode(0.51 / 65535.0), 1);
  EXPECT_DOUBLE_EQ(CodeToQuality(0), 0.0);
  EXPECT_DOUBLE_EQ(CodeToQuality(65535), 1.0);
}

TEST(QualityTest, Clamps) {
  EXPECT_EQ(QualityToCode(-0.1), 0);
  EXPECT_EQ(QualityToCode(-1e300), 0);
  EXPECT_EQ(QualityToCode(1.0000001), 65535);
  EXPECT_EQ(QualityToCode(1e300), 65535);
  EXPECT_EQ(QualityToCode(std::numeric_limits<double>::infinity()), 65535);
  EXPECT_EQ(QualityToCode(-std::numeric_limits<double>::infinity()), 0);
  EXPECT_EQ(QualityToCode(std::nan("")), 0);
}

TEST(QualityTest, EveryCodeRoundTrips) {
  for (uint32_t c = 0; c <= 65535; ++c) {
    const uint16_t code = static_cast<uint16_t>(c);
    ASSERT_EQ(QualityToCode(CodeToQuality(code)), code);
  }
}

TEST(QualityTest, QualityRoundTripsWithinHalfAStep) {
  for (int i = 0; i <= 1000; ++i) {
    const double q = i / 1000.0;
    EXPECT_NEAR(CodeToQuality(QualityToCode(q)), q, 0.5 / 65535.0 + 1e-12);
  }
}

}  // namespace
}  // namespace vlmc::bitstream
