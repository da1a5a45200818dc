#include "models/codec/codec.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "models/bitstream/stream_format.h"
#include "models/codec/test_images.h"
#include "models/image/metrics.h"
#include "models/image/resample.h"
#include "models/util/sha256.h"

namespace vlmc::codec {
namespace {

using test::ShippedCodec;

image::Image SmoothImage(int width, int height, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> phase(0, 6.28);
  const double a = phase(rng), b = phase(rng);
  image::Image img{width, height, std::vector<uint8_t>(width * height * 3)};
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      for (int c = 0; c < 3; ++c) {
        img.rgb[(y * width + x) * 3 + c] =
            static_cast<uint8_t>(127 + 100 * std::sin(0.07 * x + a + c) *
                                           std::cos(0.05 * y + b - c));
      }
    }
  }
  return img;
}

TEST(CodecConfigTest, ParsesIncreasingLambdaLaddersOnly) {
  absl::StatusOr<std::vector<double>> ok = ParseLevelLambdas("0.001,0.01,0.1");
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(*ok, (std::vector<double>{0.001, 0.01, 0.1}));
  for (const char* bad : {"", "0.1", "0.1,0.01", "0.1,0.1", "0,0.1", "-1,1",
                          "0.1,x", "0.1,,0.2", "0.1,inf"}) {
    EXPECT_EQ(ParseLevelLambdas(bad).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST(CodecConfigTest, ZDensityPerLevelIsWrittenOnlyWhenSet) {
  CodecConfig config;
  EXPECT_EQ(config.ToMetadata().count("z_density"), 0u);
  config.z_density_per_level = true;
  std::map<std::string, std::string> metadata = config.ToMetadata();
  EXPECT_EQ(metadata.at("z_density"), "per_level");
  absl::StatusOr<CodecConfig> read = CodecConfig::FromMetadata(metadata);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(read->z_density_per_level);
  metadata["z_density"] = "per_pixel";
  EXPECT_EQ(CodecConfig::FromMetadata(metadata).status().code(),
            absl::StatusCode::kDataLoss);
}

TEST(CodecConfigTest, NearestLevelRoundsTheQualityCodeHalvesUp) {
  EXPECT_EQ(NearestLevel(0, 8), 0);
  EXPECT_EQ(NearestLevel(65535, 8), 7);
  EXPECT_EQ(NearestLevel(65535, 2), 1);
  // Level 3.5 of 7 intervals is code 32767.5: below rounds down, above up.
  EXPECT_EQ(NearestLevel(32767, 8), 3);
  EXPECT_EQ(NearestLevel(32768, 8), 4);
  EXPECT_EQ(NearestLevel(bitstream::QualityToCode(0.5), 7), 3);
}

TEST(CodecTest, RoundTripKeepsSizeForOddShapes) {
  for (auto [w, h] : {std::pair{1, 1}, std::pair{65, 33}, std::pair{130, 70}}) {
    image::Image img = SmoothImage(w, h, 7);
    absl::StatusOr<std::string> stream = ShippedCodec().Compress(img, 0.5);
    ASSERT_TRUE(stream.ok()) << stream.status();
    absl::StatusOr<image::Image> out = ShippedCodec().Decompress(*stream);
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_EQ(out->width, w);
    EXPECT_EQ(out->height, h);
    EXPECT_EQ(out->rgb.size(), img.rgb.size());
  }
}

TEST(CodecTest, HigherQualitySpendsMoreBitsForLessError) {
  image::Image img = SmoothImage(128, 96, 3);
  absl::StatusOr<std::string> low = ShippedCodec().Compress(img, 0.0);
  absl::StatusOr<std::string> high = ShippedCodec().Compress(img, 1.0);
  ASSERT_TRUE(low.ok() && high.ok());
  EXPECT_LT(low->size(), high->size());
  const double psnr_low = *image::Psnr(img, *ShippedCodec().Decompress(*low));
  const double psnr_high = *image::Psnr(img, *ShippedCodec().Decompress(*high));
  EXPECT_LT(psnr_low, psnr_high);
}

TEST(CodecTest, IdenticalOutputRunToRunAndAcrossThreadCounts) {
  image::Image img = SmoothImage(200, 136, 11);
  const int threads_before = torch::get_num_threads();
  torch::set_num_threads(1);
  absl::StatusOr<std::string> one = ShippedCodec().Compress(img, 0.6);
  absl::StatusOr<std::string> again = ShippedCodec().Compress(img, 0.6);
  ASSERT_TRUE(one.ok() && again.ok());
  absl::StatusOr<image::Image> decoded_one = ShippedCodec().Decompress(*one);
  torch::set_num_threads(2);
  absl::StatusOr<std::string> two = ShippedCodec().Compress(img, 0.6);
  ASSERT_TRUE(two.ok());
  absl::StatusOr<image::Image> decoded_two = ShippedCodec().Decompress(*one);
  torch::set_num_threads(threads_before);
  EXPECT_EQ(*one, *again);
  EXPECT_EQ(*one, *two);
  ASSERT_TRUE(decoded_one.ok() && decoded_two.ok());
  EXPECT_EQ(decoded_one->rgb, decoded_two->rgb);
}

// A downscaled stream carries the small image's latents unchanged; the decoder
// upsamples what it would have decoded for the small image.
TEST(CodecTest, DownscaledStreamIsTheSmallImagesCodeUpsampled) {
  const image::Image img = SmoothImage(201, 131, 4);
  for (int factor : {2, 4}) {
    const absl::StatusOr<image::Image> small =
        image::DownscaleByBlockMean(img, factor);
    ASSERT_TRUE(small.ok()) << small.status();
    const absl::StatusOr<std::string> small_stream =
        ShippedCodec().Compress(*small, 0.5);
    EncodeOptions options;
    options.downscale = factor;
    const absl::StatusOr<std::string> stream =
        ShippedCodec().Compress(img, 0.5, options);
    ASSERT_TRUE(small_stream.ok() && stream.ok()) << stream.status();
    // Same size (the header differs only in its fields, not its length).
    EXPECT_EQ(stream->size(), small_stream->size()) << factor;
    const absl::StatusOr<bitstream::ParsedStream> parsed =
        bitstream::ParseStream(*stream);
    const absl::StatusOr<bitstream::ParsedStream> small_parsed =
        bitstream::ParseStream(*small_stream);
    ASSERT_TRUE(parsed.ok() && small_parsed.ok()) << parsed.status();
    EXPECT_EQ(parsed->header.format_version,
              bitstream::kDownscaleFormatVersion);
    EXPECT_EQ(1 << parsed->header.downscale_log2, factor);
    EXPECT_EQ(parsed->header.width, 201u);
    EXPECT_EQ(parsed->y_segment, small_parsed->y_segment) << factor;
    EXPECT_EQ(parsed->z_segment, small_parsed->z_segment) << factor;

    const absl::StatusOr<image::Image> decoded =
        ShippedCodec().Decompress(*stream);
    const absl::StatusOr<image::Image> small_decoded =
        ShippedCodec().Decompress(*small_stream);
    ASSERT_TRUE(decoded.ok() && small_decoded.ok()) << decoded.status();
    const absl::StatusOr<image::Image> expected =
        image::UpscaleCubic(*small_decoded, factor, img.width, img.height);
    ASSERT_TRUE(expected.ok()) << expected.status();
    EXPECT_EQ(decoded->width, img.width);
    EXPECT_EQ(decoded->height, img.height);
    EXPECT_TRUE(decoded->rgb == expected->rgb) << factor;
  }
}

TEST(CodecTest, DownscalingSpendsFewerBits) {
  const image::Image img = SmoothImage(256, 192, 9);
  size_t previous = SIZE_MAX;
  for (int factor : {1, 2, 4}) {
    EncodeOptions options;
    options.downscale = factor;
    const absl::StatusOr<std::string> stream =
        ShippedCodec().Compress(img, 1.0, options);
    ASSERT_TRUE(stream.ok()) << stream.status();
    EXPECT_LT(stream->size(), previous) << factor;
    previous = stream->size();
    // Streams without downscaling stay in the older format.
    EXPECT_EQ(static_cast<uint8_t>((*stream)[4]),
              factor == 1 ? bitstream::kFormatVersion
                          : bitstream::kDownscaleFormatVersion);
    const absl::StatusOr<image::Image> decoded =
        ShippedCodec().Decompress(*stream);
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    // A smooth image keeps its shape at the lower resolutions (measured:
    // about 22 dB at 1/4, where the model's smallest latent grid is coarse).
    EXPECT_GT(*image::Psnr(img, *decoded), factor == 4 ? 20.0 : 28.0) << factor;
  }
}

// Automatic resolution keeps whichever fixed-resolution stream costs least by
// the model's own measure, bits + λ(q)·MSE.
TEST(CodecTest, AutomaticDownscaleKeepsTheCheapestStream) {
  const image::Image img = SmoothImage(160, 112, 21);
  for (double quality : {0.0, 1.0}) {
    const double lambda = LambdaForQuality(
        ShippedCodec().config(),
        bitstream::CodeToQuality(bitstream::QualityToCode(quality)));
    std::string cheapest;
    double cheapest_cost = 1e300;
    for (int factor : {1, 2, 4}) {
      EncodeOptions fixed;
      fixed.downscale = factor;
      const absl::StatusOr<std::string> stream =
          ShippedCodec().Compress(img, quality, fixed);
      ASSERT_TRUE(stream.ok()) << stream.status();
      const double cost =
          stream->size() * 8.0 / (img.width * img.height) +
          lambda * *image::Mse(img, *ShippedCodec().Decompress(*stream));
      if (cost < cheapest_cost) {
        cheapest_cost = cost;
        cheapest = *stream;
      }
    }
    EncodeOptions automatic;
    automatic.downscale = kAutomaticDownscale;
    const absl::StatusOr<std::string> chosen =
        ShippedCodec().Compress(img, quality, automatic);
    ASSERT_TRUE(chosen.ok()) << chosen.status();
    EXPECT_EQ(*chosen, cheapest) << quality;
  }
  // The rule is not a no-op: at the lowest quality a smooth image loses less
  // to a coarser grid than it saves in bits.
  EncodeOptions automatic;
  automatic.downscale = kAutomaticDownscale;
  const absl::StatusOr<std::string> low =
      ShippedCodec().Compress(SmoothImage(256, 192, 9), 0.0, automatic);
  ASSERT_TRUE(low.ok()) << low.status();
  EXPECT_EQ(static_cast<uint8_t>((*low)[4]),
            bitstream::kDownscaleFormatVersion);
}

TEST(CodecTest, ParsesDownscaleNames) {
  EXPECT_EQ(*ParseDownscale("1"), 1);
  EXPECT_EQ(*ParseDownscale("2"), 2);
  EXPECT_EQ(*ParseDownscale("4"), 4);
  EXPECT_EQ(*ParseDownscale("auto"), kAutomaticDownscale);
  for (int downscale : {1, 2, 4, kAutomaticDownscale})
    EXPECT_EQ(*ParseDownscale(DownscaleName(downscale)), downscale);
  for (const char* bad : {"0", "3", "8", "2.0", " 2", "AUTO", ""}) {
    EXPECT_EQ(ParseDownscale(bad).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST(CodecTest, RejectsUnsupportedDownscale) {
  const image::Image img = SmoothImage(16, 16, 1);
  for (int factor : {3, 8, -2}) {
    EncodeOptions options;
    options.downscale = factor;
    const absl::Status status =
        ShippedCodec().Compress(img, 0.5, options).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << factor;
    EXPECT_NE(status.message().find("downscale"), std::string::npos) << status;
  }
}

TEST(CodecTest, RejectsBadQualityAndInvalidImages) {
  image::Image img = SmoothImage(16, 16, 1);
  EXPECT_EQ(ShippedCodec().Compress(img, 1.5).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ShippedCodec().Compress(img, std::nan("")).status().code(),
            absl::StatusCode::kInvalidArgument);
  image::Image broken{16, 16, std::vector<uint8_t>(10)};
  EXPECT_EQ(ShippedCodec().Compress(broken, 0.5).status().code(),
            absl::StatusCode::kInvalidArgument);
  image::Image huge{8192, 4096, {}};
  huge.rgb.resize(size_t{8192} * 4096 * 3);
  EXPECT_EQ(ShippedCodec().Compress(huge, 0.5).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// One analysis coded at several qualities gives Compress's bytes at each, at
// full and reduced resolution and with refinement (which redoes the analysis
// per quality).
TEST(CodecTest, AnalyzedImageCodesAsCompressAtEveryQuality) {
  const image::Image img = SmoothImage(136, 72, 11);
  for (int downscale : {1, 2}) {
    for (int refinement : {0, 1}) {
      EncodeOptions options;
      options.downscale = downscale;
      options.refinement.iterations = refinement;
      const absl::StatusOr<AnalyzedImage> analyzed =
          ShippedCodec().Analyze(img, options);
      ASSERT_TRUE(analyzed.ok()) << analyzed.status();
      EXPECT_EQ(analyzed->ungained.defined(), refinement == 0);
      for (double quality : {0.0, 0.37, 1.0}) {
        const absl::StatusOr<std::string> reused =
            ShippedCodec().CompressAnalyzed(*analyzed, quality);
        const absl::StatusOr<std::string> whole =
            ShippedCodec().Compress(img, quality, options);
        ASSERT_TRUE(reused.ok()) << reused.status();
        ASSERT_TRUE(whole.ok()) << whole.status();
        EXPECT_EQ(*reused, *whole)
            << "downscale " << downscale << " refinement " << refinement
            << " quality " << quality;
      }
    }
  }
}

TEST(CodecTest, AnalyzeNeedsAFixedDownscaleAndCompressAnalyzedAQuality) {
  const image::Image img = SmoothImage(16, 16, 1);
  EncodeOptions automatic;
  automatic.downscale = kAutomaticDownscale;
  const absl::Status status = ShippedCodec().Analyze(img, automatic).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("fixed downscale"), std::string::npos)
      << status;
  const absl::StatusOr<AnalyzedImage> analyzed = ShippedCodec().Analyze(img);
  ASSERT_TRUE(analyzed.ok()) << analyzed.status();
  for (double bad : {-0.1, 1.5, std::nan("")}) {
    EXPECT_EQ(ShippedCodec().CompressAnalyzed(*analyzed, bad).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
  image::Image huge{8192, 4096, {}};
  huge.rgb.resize(size_t{8192} * 4096 * 3);
  EXPECT_EQ(ShippedCodec().Analyze(huge).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(CodecTest, StreamOfAnotherModelIsFailedPrecondition) {
  absl::StatusOr<std::string> stream =
      ShippedCodec().Compress(SmoothImage(64, 64, 5), 0.5);
  ASSERT_TRUE(stream.ok());
  absl::StatusOr<bitstream::ParsedStream> parsed =
      bitstream::ParseStream(*stream);
  ASSERT_TRUE(parsed.ok());
  for (int field = 0; field < 3; ++field) {
    bitstream::StreamHeader header = parsed->header;
    if (field == 0) header.weights_hash[0] ^= 1;
    if (field == 1) header.model_version += 1;
    if (field == 2) header.model_id = "other-model";
    absl::StatusOr<std::string> other =
        bitstream::WriteStream(header, parsed->z_segment, parsed->y_segment);
    ASSERT_TRUE(other.ok());
    EXPECT_EQ(ShippedCodec().Decompress(*other).status().code(),
              absl::StatusCode::kFailedPrecondition);
  }
}

// Truncation and bit flips of the whole stream: the CRC or the length checks
// must catch every one of them.
TEST(CodecTest, TruncatedOrFlippedStreamsFailCleanly) {
  absl::StatusOr<std::string> stream =
      ShippedCodec().Compress(SmoothImage(64, 48, 9), 0.3);
  ASSERT_TRUE(stream.ok());
  for (size_t length = 0; length < stream->size(); ++length) {
    EXPECT_FALSE(ShippedCodec().Decompress(stream->substr(0, length)).ok())
        << length;
  }
  for (size_t bit = 0; bit < stream->size() * 8; ++bit) {
    std::string flipped = *stream;
    flipped[bit / 8] ^= static_cast<char>(1 << (bit % 8));
    EXPECT_FALSE(ShippedCodec().Decompress(flipped).ok()) << bit;
  }
}

// Damage inside the entropy-coded segments behind a valid header and CRC:
// the rANS decoder itself must report DATA_LOSS or produce a valid image.
TEST(CodecTest, CorruptSegmentsBehindValidCrcNeverCrash) {
  absl::StatusOr<std::string> stream =
      ShippedCodec().Compress(SmoothImage(96, 64, 4), 0.7);
  ASSERT_TRUE(stream.ok());
  absl::StatusOr<bitstream::ParsedStream> parsed =
      bitstream::ParseStream(*stream);
  ASSERT_TRUE(parsed.ok());
  const std::string z(parsed->z_segment), y(parsed->y_segment);
  std::mt19937 rng(1);
  int failures = 0;
  for (int trial = 0; trial < 300; ++trial) {
    std::string z2 = z, y2 = y;
    std::string& target = (trial % 3 == 0) ? z2 : y2;
    if (trial % 5 == 4) {
      target.resize(rng() % (target.size() + 1));
    } else {
      target[rng() % target.size()] ^= static_cast<char>(1 + rng() % 255);
    }
    absl::StatusOr<std::string> damaged =
        bitstream::WriteStream(parsed->header, z2, y2);
    ASSERT_TRUE(damaged.ok());
    absl::StatusOr<image::Image> out = ShippedCodec().Decompress(*damaged);
    if (out.ok()) {
      EXPECT_EQ(out->rgb.size(), size_t{96} * 64 * 3);
    } else {
      EXPECT_EQ(out.status().code(), absl::StatusCode::kDataLoss)
          << out.status();
      ++failures;
    }
  }
  EXPECT_GT(failures, 250);  // rANS end-state check catches nearly all damage
}

}  // namespace
}  // namespace vlmc::codec
