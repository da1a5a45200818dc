#include "models/ratecontrol/rate_search.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "models/codec/test_images.h"

namespace vlmc::ratecontrol {
namespace {

using Kind = RateTarget::Kind;

class RateSearchTest : public ::testing::Test {
 protected:
  // The propeller and the nose: texture and edges, 16384 pixels.
  const image::Image image_ = codec::test::Kodim20Crop(96, 176, 128, 128);
  const codec::Codec& codec_ = codec::test::ShippedCodec();
  const double pixels_ = 128.0 * 128.0;

  size_t StreamBytes(double quality) {
    absl::StatusOr<std::string> stream = codec_.Compress(image_, quality);
    EXPECT_TRUE(stream.ok()) << stream.status();
    return stream.ok() ? stream->size() : 0;
  }
};

TEST_F(RateSearchTest, QualityTargetIsOneRun) {
  absl::StatusOr<EncodedImage> r =
      EncodeAtRate(codec_, image_, {Kind::kQuality, 0.3});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->passes, 1);
  EXPECT_EQ(r->quality, 0.3);
  EXPECT_TRUE(r->target_met);
  EXPECT_EQ(r->stream.size(), StreamBytes(0.3));
  EXPECT_DOUBLE_EQ(r->bpp, r->stream.size() * 8 / pixels_);
  absl::StatusOr<image::Image> decoded = codec_.Decompress(r->stream);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->width, 128);
}

TEST_F(RateSearchTest, BppTargetFitsWithinTheBisectionResolution) {
  const size_t bytes0 = StreamBytes(0.0), bytes1 = StreamBytes(1.0);
  ASSERT_LT(bytes0, bytes1);
  const double target_bpp = (bytes0 + bytes1) * 4 / pixels_;  // the midpoint
  RateSearchOptions options;
  options.max_passes = 10;
  absl::StatusOr<EncodedImage> r =
      EncodeAtRate(codec_, image_, {Kind::kTargetBpp, target_bpp}, options);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->target_met);
  EXPECT_EQ(r->passes, 10);
  EXPECT_LE(r->stream.size() * 8 / pixels_, target_bpp);
  EXPECT_DOUBLE_EQ(r->bpp, r->stream.size() * 8 / pixels_);
  EXPECT_GT(r->quality, 0.0);
  EXPECT_LT(r->quality, 1.0);
  // The search codes one analysis at every quality: the bytes are a fresh
  // encode's.
  EXPECT_EQ(r->stream, *codec_.Compress(image_, r->quality));
  // 8 bisection steps: one step of 1/256 higher no longer fits.
  EXPECT_GT(StreamBytes(r->quality + 1.0 / 256) * 8 / pixels_, target_bpp);
  EXPECT_EQ(r->stream.size(), StreamBytes(r->quality));
  EXPECT_TRUE(codec_.Decompress(r->stream).ok());
}

TEST_F(RateSearchTest, ByteTargetFitsWithinTheBisectionResolution) {
  const size_t bytes0 = StreamBytes(0.0), bytes1 = StreamBytes(1.0);
  const double max_bytes = std::floor(0.3 * bytes0 + 0.7 * bytes1);
  RateSearchOptions options;
  options.max_passes = 6;
  absl::StatusOr<EncodedImage> r =
      EncodeAtRate(codec_, image_, {Kind::kMaxBytes, max_bytes}, options);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->target_met);
  EXPECT_EQ(r->passes, 6);
  EXPECT_LE(r->stream.size(), max_bytes);
  EXPECT_GT(StreamBytes(r->quality + 1.0 / 16), max_bytes);
}

TEST_F(RateSearchTest, LargerTargetsNeverGiveSmallerStreams) {
  const double bpp0 = StreamBytes(0.0) * 8 / pixels_;
  const double bpp1 = StreamBytes(1.0) * 8 / pixels_;
  RateSearchOptions options;
  options.max_passes = 6;
  EncodedImage previous;
  for (double f : {0.1, 0.4, 0.7, 0.95}) {
    const double target = bpp0 + f * (bpp1 - bpp0);
    absl::StatusOr<EncodedImage> r =
        EncodeAtRate(codec_, image_, {Kind::kTargetBpp, target}, options);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_TRUE(r->target_met);
    EXPECT_LE(r->bpp, target);
    EXPECT_GE(r->quality, previous.quality) << "target " << target;
    EXPECT_GE(r->stream.size(), previous.stream.size()) << "target " << target;
    previous = *std::move(r);
  }
}

TEST_F(RateSearchTest, UnreachableTargetReturnsQualityZero) {
  const size_t bytes0 = StreamBytes(0.0);
  for (const RateTarget& target :
       {RateTarget{Kind::kTargetBpp, bytes0 * 4 / pixels_, 1},
        RateTarget{Kind::kMaxBytes, 1.0, 1},
        RateTarget{Kind::kMaxBytes, bytes0 - 1.0, 1}}) {
    absl::StatusOr<EncodedImage> r = EncodeAtRate(codec_, image_, target);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_FALSE(r->target_met) << target.value;
    EXPECT_EQ(r->quality, 0.0);
    EXPECT_EQ(r->downscale, 1);
    EXPECT_EQ(r->passes, 2);
    EXPECT_EQ(r->stream.size(), bytes0);
  }
}

TEST_F(RateSearchTest, AutomaticResolutionMeetsTargetsBelowQualityZero) {
  const size_t bytes0 = StreamBytes(0.0);
  const double target_bpp = bytes0 * 4 / pixels_;  // half of quality 0's
  constexpr int kAuto = codec::kAutomaticDownscale;
  absl::StatusOr<EncodedImage> r =
      EncodeAtRate(codec_, image_, {Kind::kTargetBpp, target_bpp, kAuto});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->target_met);
  EXPECT_GT(r->downscale, 1);
  EXPECT_LE(r->bpp, target_bpp);
  absl::StatusOr<image::Image> decoded = codec_.Decompress(r->stream);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->width, image_.width);
  EXPECT_EQ(decoded->height, image_.height);

  // One byte is out of reach everywhere: the smallest stream comes back.
  // 1/4 of 128x128 pads to the same 64x64 as 1/2, so it is not tried.
  r = EncodeAtRate(codec_, image_, {Kind::kMaxBytes, 1.0, kAuto});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->target_met);
  EXPECT_EQ(r->downscale, 2);
  EXPECT_EQ(r->quality, 0.0);
  EXPECT_EQ(r->passes, 3);
  EXPECT_LT(r->stream.size(), bytes0);

  // Without a pass left for a second resolution it stops at the first.
  RateSearchOptions options;
  options.max_passes = 2;
  r = EncodeAtRate(codec_, image_, {Kind::kMaxBytes, 1.0, kAuto}, options);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->downscale, 1);
  EXPECT_EQ(r->passes, 2);
}

TEST_F(RateSearchTest, AutomaticQualityTargetIsTheCodecsChoice) {
  codec::EncodeOptions automatic;
  automatic.downscale = codec::kAutomaticDownscale;
  for (double quality : {0.0, 1.0}) {
    absl::StatusOr<EncodedImage> r = EncodeAtRate(
        codec_, image_, {Kind::kQuality, quality, codec::kAutomaticDownscale});
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->stream, *codec_.Compress(image_, quality, automatic));
    const uint8_t flags = static_cast<uint8_t>(r->stream[5]);
    EXPECT_EQ(r->downscale, 1 << flags) << quality;
  }
}

TEST_F(RateSearchTest, FixedResolutionIsHonoured) {
  absl::StatusOr<EncodedImage> r =
      EncodeAtRate(codec_, image_, {Kind::kQuality, 0.5, 2});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->downscale, 2);
  codec::EncodeOptions half;
  half.downscale = 2;
  EXPECT_EQ(r->stream, *codec_.Compress(image_, 0.5, half));
  for (int bad : {-1, 3, 8}) {
    EXPECT_EQ(EncodeAtRate(codec_, image_, {Kind::kQuality, 0.5, bad})
                  .status()
                  .code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST_F(RateSearchTest, GenerousTargetIsQualityOneInOneRun) {
  const size_t bytes1 = StreamBytes(1.0);
  for (const RateTarget& target :
       {RateTarget{Kind::kTargetBpp, 64.0},
        RateTarget{Kind::kMaxBytes, static_cast<double>(bytes1)}}) {
    absl::StatusOr<EncodedImage> r = EncodeAtRate(codec_, image_, target);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_TRUE(r->target_met);
    EXPECT_EQ(r->quality, 1.0);
    EXPECT_EQ(r->passes, 1);
    EXPECT_EQ(r->stream.size(), bytes1);
  }
}

TEST_F(RateSearchTest, RejectsInvalidTargetsAndOptions) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  for (const RateTarget& target :
       {RateTarget{Kind::kQuality, -0.01}, RateTarget{Kind::kQuality, 1.01},
        RateTarget{Kind::kQuality, nan}, RateTarget{Kind::kTargetBpp, 0.0},
        RateTarget{Kind::kTargetBpp, -1.0}, RateTarget{Kind::kTargetBpp, nan},
        RateTarget{Kind::kTargetBpp, inf}, RateTarget{Kind::kMaxBytes, 0.0},
        RateTarget{Kind::kMaxBytes, 0.5}, RateTarget{Kind::kMaxBytes, nan},
        RateTarget{static_cast<Kind>(7), 0.5}}) {
    absl::StatusOr<EncodedImage> r = EncodeAtRate(codec_, image_, target);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument)
        << static_cast<int>(target.kind) << " " << target.value;
  }
  RateSearchOptions one_pass;
  one_pass.max_passes = 1;
  EXPECT_EQ(EncodeAtRate(codec_, image_, {Kind::kTargetBpp, 1.0}, one_pass)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  const image::Image broken{4, 4, std::vector<uint8_t>(5)};
  EXPECT_EQ(
      EncodeAtRate(codec_, broken, {Kind::kTargetBpp, 1.0}).status().code(),
      absl::StatusCode::kInvalidArgument);
}

TEST_F(RateSearchTest, ShouldStopIsPolledBeforeEachRun) {
  int polls = 0;
  RateSearchOptions options;
  options.should_stop = [&polls] { return ++polls == 4; };
  const double bpp0 = StreamBytes(0.0) * 8 / pixels_;
  const double bpp1 = StreamBytes(1.0) * 8 / pixels_;
  absl::StatusOr<EncodedImage> r = EncodeAtRate(
      codec_, image_, {Kind::kTargetBpp, 0.5 * (bpp0 + bpp1)}, options);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(polls, 4);

  options.should_stop = [] { return true; };
  EXPECT_EQ(EncodeAtRate(codec_, image_, {Kind::kQuality, 0.5}, options)
                .status()
                .code(),
            absl::StatusCode::kCancelled);
}

}  // namespace
}  // namespace vlmc::ratecontrol
