#include "server/handlers/request_checks.h"

#include <cmath>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "models/bitstream/stream_format.h"

namespace vlmc::service {
namespace {

constexpr RequestLimits kLimits = {/*max_image_pixels=*/10000,
                                   /*max_image_dimension=*/200,
                                   /*max_message_bytes=*/1 << 20};

v1::ImageInput Raw(uint32_t width, uint32_t height, size_t bytes) {
  v1::ImageInput input;
  input.mutable_raw()->set_width(width);
  input.mutable_raw()->set_height(height);
  input.mutable_raw()->set_data(std::string(bytes, '\x7f'));
  return input;
}

TEST(RequestChecksTest, RawImageNeedsItsShapeWithinLimitsAndExactData) {
  EXPECT_TRUE(CheckImageInput(Raw(2, 3, 18), kLimits).ok());
  for (const v1::ImageInput& bad :
       {v1::ImageInput(), Raw(2, 3, 17), Raw(2, 3, 19), Raw(0, 3, 0),
        Raw(201, 1, 603), Raw(101, 100, 30300)}) {
    EXPECT_EQ(CheckImageInput(bad, kLimits).code(),
              absl::StatusCode::kInvalidArgument)
        << bad.ShortDebugString();
  }
  absl::StatusOr<image::Image> image = ImageFromInput(Raw(2, 3, 18), kLimits);
  ASSERT_TRUE(image.ok()) << image.status();
  EXPECT_EQ(image->width, 2);
  EXPECT_EQ(image->height, 3);
}

TEST(RequestChecksTest, EncodedImageMustBeNonEmptyAndDecodable) {
  v1::ImageInput input;
  input.set_encoded("");
  EXPECT_EQ(CheckImageInput(input, kLimits).code(),
            absl::StatusCode::kInvalidArgument);
  input.set_encoded("not an image");
  EXPECT_TRUE(CheckImageInput(input, kLimits).ok());
  EXPECT_EQ(ImageFromInput(input, kLimits).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(RequestChecksTest, RateTargetMustBeSetAndInRange) {
  v1::RateTarget rate;
  EXPECT_FALSE(CheckRateTarget(rate).ok());
  for (double quality : {0.0, 0.5, 1.0}) {
    rate.set_quality(quality);
    EXPECT_TRUE(CheckRateTarget(rate).ok()) << quality;
  }
  for (double quality : {-0.01, 1.01, std::nan("")}) {
    rate.set_quality(quality);
    EXPECT_FALSE(CheckRateTarget(rate).ok()) << quality;
  }
  rate.set_target_bpp(0.1);
  EXPECT_TRUE(CheckRateTarget(rate).ok());
  for (double bpp : {0.0, -1.0, std::numeric_limits<double>::infinity()}) {
    rate.set_target_bpp(bpp);
    EXPECT_FALSE(CheckRateTarget(rate).ok()) << bpp;
  }
  rate.set_max_bytes(1);
  EXPECT_TRUE(CheckRateTarget(rate).ok());
  rate.set_max_bytes(0);
  EXPECT_FALSE(CheckRateTarget(rate).ok());
}

std::string Stream(uint32_t width, uint32_t height) {
  bitstream::StreamHeader header;
  header.model_id = "vlmc-hp";
  header.width = width;
  header.height = height;
  absl::StatusOr<std::string> stream = bitstream::WriteStream(header, "z", "y");
  EXPECT_TRUE(stream.ok()) << stream.status();
  return stream.value_or("");
}

TEST(RequestChecksTest, DecodeChecksFormatAndStreamWithinLimits) {
  v1::DecodeRequest request;
  EXPECT_EQ(ParseDecodeRequest(request, kLimits, 1 << 24).status().code(),
            absl::StatusCode::kInvalidArgument);
  request.set_stream(Stream(100, 100));
  absl::StatusOr<bitstream::ParsedStream> parsed =
      ParseDecodeRequest(request, kLimits, 1 << 24);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->header.width, 100u);
  // The codec's own pixel cap applies when it is below the server's.
  EXPECT_EQ(ParseDecodeRequest(request, kLimits, 9999).status().code(),
            absl::StatusCode::kInvalidArgument);
  request.set_format(static_cast<v1::OutputFormat>(7));
  EXPECT_EQ(ParseDecodeRequest(request, kLimits, 1 << 24).status().code(),
            absl::StatusCode::kInvalidArgument);
  request.set_format(v1::OUTPUT_FORMAT_RAW_RGB8);
  for (const auto& [width, height] : {std::pair(201u, 1u), {101u, 100u}}) {
    request.set_stream(Stream(width, height));
    EXPECT_EQ(ParseDecodeRequest(request, kLimits, 1 << 24).status().code(),
              absl::StatusCode::kInvalidArgument)
        << width << "x" << height;
  }
}

TEST(RequestChecksTest, TaskTargetAndPassesMustBeInRange) {
  v1::EncodeForTaskRequest request;
  EXPECT_FALSE(ToTaskTarget(request).ok());
  request.mutable_task()->set_min_detection_agreement(1.0);
  absl::StatusOr<TaskTarget> target = ToTaskTarget(request);
  ASSERT_TRUE(target.ok()) << target.status();
  EXPECT_EQ(target->metric, ratecontrol::TaskMetric::kDetectionAgreement);
  EXPECT_EQ(target->max_passes, kDefaultTaskPasses);
  request.set_max_passes(kMaxTaskPasses);
  ASSERT_TRUE(ToTaskTarget(request).ok());
  EXPECT_EQ(ToTaskTarget(request)->max_passes, kMaxTaskPasses);
  for (uint32_t passes : {1, kMaxTaskPasses + 1}) {
    request.set_max_passes(passes);
    EXPECT_FALSE(ToTaskTarget(request).ok()) << passes;
  }
  request.set_max_passes(2);
  for (double fidelity : {0.0, 1.5, std::nan("")}) {
    request.mutable_task()->set_min_token_cosine(fidelity);
    EXPECT_FALSE(ToTaskTarget(request).ok()) << fidelity;
  }
}

}  // namespace
}  // namespace vlmc::service
