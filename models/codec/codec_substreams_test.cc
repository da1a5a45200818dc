// Format 4: the y segment split into substreams that decode in parallel.
#include <gtest/gtest.h>

#include <string>

#include "models/bitstream/stream_format.h"
#include "models/bitstream/y_substreams.h"
#include "models/codec/codec.h"
#include "models/codec/test_images.h"

namespace vlmc::codec {
namespace {

std::string Encode(const image::Image& img, int y_substreams,
                   int downscale = 1) {
  EncodeOptions options;
  options.y_substreams = y_substreams;
  options.downscale = downscale;
  absl::StatusOr<std::string> stream =
      test::ShippedCodec().Compress(img, 0.5, options);
  EXPECT_TRUE(stream.ok()) << stream.status();
  return stream.ok() ? *stream : "";
}

// The substreams carry the same symbols as one stream: every count decodes
// to the same pixels, and only the container grows.
TEST(CodecSubstreamsTest, EveryCountDecodesToTheSamePixels) {
  const image::Image img = test::Kodim20Crop(100, 60, 160, 128);
  const std::string single = Encode(img, 1);
  ASSERT_GT(single.size(), 4u);
  EXPECT_EQ(single[4], bitstream::kFormatVersion);
  absl::StatusOr<image::Image> reference =
      test::ShippedCodec().Decompress(single);
  ASSERT_TRUE(reference.ok()) << reference.status();
  const int64_t channels = test::ShippedCodec().config().channels_m;
  for (int count : {2, 5, 64}) {
    ASSERT_LE(count, channels);
    const std::string split = Encode(img, count);
    ASSERT_GT(split.size(), 4u);
    EXPECT_EQ(split[4], bitstream::kSubstreamFormatVersion) << count;
    absl::StatusOr<bitstream::ParsedStream> parsed =
        bitstream::ParseStream(split);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(parsed->y_substreams.size(), static_cast<size_t>(count));
    // A count byte, a length per extra substream, and each rANS stream's
    // own start state and flush: at most 9 bytes per extra substream.
    EXPECT_GT(split.size(), single.size());
    EXPECT_LE(split.size(), single.size() + 1 + 9 * (count - 1)) << count;
    absl::StatusOr<image::Image> out = test::ShippedCodec().Decompress(split);
    ASSERT_TRUE(out.ok()) << count << ": " << out.status();
    EXPECT_EQ(out->rgb, reference->rgb) << count;
  }
}

TEST(CodecSubstreamsTest, SameBytesWithOneAndTwoThreads) {
  const image::Image img = test::Kodim20Crop(0, 0, 128, 96);
  const int before = torch::get_num_threads();
  torch::set_num_threads(1);
  const std::string one = Encode(img, 7);
  torch::set_num_threads(2);
  const std::string two = Encode(img, 7);
  absl::StatusOr<image::Image> a = test::ShippedCodec().Decompress(one);
  torch::set_num_threads(1);
  absl::StatusOr<image::Image> b = test::ShippedCodec().Decompress(one);
  torch::set_num_threads(before);
  EXPECT_EQ(one, two);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->rgb, b->rgb);
}

// Format 4 keeps format 3's coded resolution.
TEST(CodecSubstreamsTest, CombinesWithDownscale) {
  const image::Image img = test::Kodim20Crop(0, 0, 256, 192);
  const std::string v3 = Encode(img, 1, 2);
  const std::string v4 = Encode(img, 3, 2);
  ASSERT_GT(v4.size(), 5u);
  EXPECT_EQ(v3[4], bitstream::kDownscaleFormatVersion);
  EXPECT_EQ(v4[4], bitstream::kSubstreamFormatVersion);
  EXPECT_EQ(v4[5], 1);  // flags: coded at 1/2
  absl::StatusOr<image::Image> a = test::ShippedCodec().Decompress(v3);
  absl::StatusOr<image::Image> b = test::ShippedCodec().Decompress(v4);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(a->rgb, b->rgb);
}

TEST(CodecSubstreamsTest, RefusesCountsOutsideTheModelsRange) {
  const image::Image img = test::Kodim20Crop(0, 0, 64, 64);
  for (int count : {-1, bitstream::kMaxYSubstreams + 1, 1000}) {
    EncodeOptions options;
    options.y_substreams = count;
    EXPECT_EQ(test::ShippedCodec().Compress(img, 0.5, options).status().code(),
              absl::StatusCode::kInvalidArgument)
        << count;
  }
}

// The default count: one substream per 2^17 latent symbols, 1 to 16.
TEST(CodecSubstreamsTest, AutomaticCount) {
  EXPECT_EQ(AutomaticYSubstreams(96 * 32 * 48, 96), 1);   // 768x512
  EXPECT_EQ(AutomaticYSubstreams(96 * 68 * 120, 96), 5);  // 1920x1080
  EXPECT_EQ(AutomaticYSubstreams(96 * 256 * 256, 96), 16);
  EXPECT_EQ(AutomaticYSubstreams(int64_t{1} << 30, 8), 8);
  EXPECT_EQ(AutomaticYSubstreams(0, 96), 1);
  // Compress applies it: kodim20 itself stays one stream.
  const std::string stream =
      Encode(test::Kodim20Crop(0, 0, 768, 512), /*y_substreams=*/0);
  ASSERT_GT(stream.size(), 4u);
  EXPECT_EQ(stream[4], bitstream::kFormatVersion);
}

// Damage inside one substream is reported for that substream; a stream
// whose substreams are swapped (table rewritten consistently) is DATA_LOSS,
// not a wrong image.
TEST(CodecSubstreamsTest, DamagedSubstreamsAreDataLoss) {
  const image::Image img = test::Kodim20Crop(200, 100, 128, 128);
  const std::string stream = Encode(img, 2);
  absl::StatusOr<bitstream::ParsedStream> parsed =
      bitstream::ParseStream(stream);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const std::string first(parsed->y_substreams[0]);
  const std::string second(parsed->y_substreams[1]);
  const std::string z(parsed->z_segment);

  std::string damaged = second;
  damaged[damaged.size() / 2] ^= 0x21;
  for (const auto& [parts, message] :
       {std::pair{std::vector<std::string>{first, damaged}, "y substream 1: "},
        std::pair{std::vector<std::string>{second, first}, "y substream"},
        std::pair{std::vector<std::string>{first + second.substr(0, 2),
                                           second.substr(2)},
                  "y substream 0: "}}) {
    absl::StatusOr<std::string> y = bitstream::JoinYSubstreams(parts);
    ASSERT_TRUE(y.ok());
    absl::StatusOr<std::string> rewritten =
        bitstream::WriteStream(parsed->header, z, *y);
    ASSERT_TRUE(rewritten.ok()) << rewritten.status();
    absl::StatusOr<image::Image> out =
        test::ShippedCodec().Decompress(*rewritten);
    ASSERT_FALSE(out.ok()) << message;
    EXPECT_EQ(out.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_NE(out.status().message().find(message), absl::string_view::npos)
        << out.status();
  }
}

}  // namespace
}  // namespace vlmc::codec
