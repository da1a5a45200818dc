// The staged decode (DecodeLatents + Synthesize) and its batched forms give
// exactly the pixels of one-at-a-time Decompress in float64, and within +-1
// of them in float32.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "models/codec/codec.h"
#include "models/codec/test_images.h"
#include "models/image/metrics.h"

namespace vlmc::codec {
namespace {

// Exact pixels are only defined in float64; the float32 default is held to
// FORMAT.md's +-1 at the end.
using test::ExactShippedCodec;

// The whole 768x512 kodim20.
image::Image Kodim20() { return test::Kodim20Crop(0, 0, 768, 512); }

std::string Encode(const image::Image& image, double quality) {
  absl::StatusOr<std::string> stream =
      ExactShippedCodec().Compress(image, quality);
  EXPECT_TRUE(stream.ok()) << stream.status();
  return stream.ok() ? *stream : std::string();
}

DecodedLatents Latents(absl::string_view stream) {
  absl::StatusOr<DecodedLatents> latents =
      ExactShippedCodec().DecodeLatents(stream);
  EXPECT_TRUE(latents.ok()) << latents.status();
  return latents.ok() ? *std::move(latents) : DecodedLatents{};
}

void ExpectSameImage(const image::Image& a, const image::Image& b,
                     const std::string& what) {
  EXPECT_EQ(a.width, b.width) << what;
  EXPECT_EQ(a.height, b.height) << what;
  EXPECT_TRUE(a.rgb == b.rgb) << what << ": pixels differ";
}

// DecompressBatch of `streams`, each result checked against a one-stream
// Decompress (same status code; same pixels where it succeeds).
std::vector<absl::StatusOr<image::Image>> DecompressBatchMatchingSingles(
    const std::vector<std::string>& streams) {
  const std::vector<absl::string_view> views(streams.begin(), streams.end());
  std::vector<absl::StatusOr<image::Image>> results =
      ExactShippedCodec().DecompressBatch(views);
  EXPECT_EQ(results.size(), streams.size());
  for (size_t i = 0; i < streams.size() && i < results.size(); ++i) {
    const absl::StatusOr<image::Image> single =
        ExactShippedCodec().Decompress(streams[i]);
    EXPECT_EQ(results[i].status().code(), single.status().code()) << i;
    if (single.ok() && results[i].ok()) {
      ExpectSameImage(*results[i], *single, "stream " + std::to_string(i));
    }
  }
  return results;
}

// Crops of 200x130 and 250x150 pad to the same 256x192, so they share a
// latent shape but crop differently; qualities differ within the batch.
std::vector<std::string> SmallStreams() {
  return {Encode(test::Kodim20Crop(0, 0, 200, 130), 0.0),
          Encode(test::Kodim20Crop(300, 200, 250, 150), 0.5),
          Encode(test::Kodim20Crop(500, 350, 200, 130), 1.0),
          Encode(test::Kodim20Crop(100, 50, 250, 150), 0.73)};
}

TEST(CodecBatchTest, MixedQualityBatchMatchesSingleDecodes) {
  const std::vector<std::string> streams = SmallStreams();
  std::vector<DecodedLatents> batch;
  for (const std::string& stream : streams) batch.push_back(Latents(stream));
  absl::StatusOr<std::vector<image::Image>> images =
      ExactShippedCodec().Synthesize(batch);
  ASSERT_TRUE(images.ok()) << images.status();
  ASSERT_EQ(images->size(), streams.size());
  for (size_t i = 0; i < streams.size(); ++i) {
    absl::StatusOr<image::Image> single =
        ExactShippedCodec().Decompress(streams[i]);
    ASSERT_TRUE(single.ok()) << single.status();
    ExpectSameImage((*images)[i], *single, "stream " + std::to_string(i));
  }
}

TEST(CodecBatchTest, KodakSizedBatchMatchesSingleDecodes) {
  const std::vector<std::string> streams = {Encode(Kodim20(), 0.2),
                                            Encode(Kodim20(), 0.9)};
  absl::StatusOr<std::vector<image::Image>> images =
      ExactShippedCodec().Synthesize(
          {Latents(streams[0]), Latents(streams[1])});
  ASSERT_TRUE(images.ok()) << images.status();
  ASSERT_EQ(images->size(), 2u);
  for (size_t i = 0; i < streams.size(); ++i) {
    ExpectSameImage((*images)[i], *ExactShippedCodec().Decompress(streams[i]),
                    "stream " + std::to_string(i));
  }
}

TEST(CodecBatchTest, DecompressBatchGroupsShapesAndFailsOnlyBadStreams) {
  std::vector<std::string> streams = SmallStreams();
  streams.insert(streams.begin() + 1,
                 Encode(test::Kodim20Crop(0, 0, 130, 70), 0.4));
  streams.insert(streams.begin() + 3, "not a stream");
  const std::vector<absl::StatusOr<image::Image>> results =
      DecompressBatchMatchingSingles(streams);
  ASSERT_EQ(results.size(), streams.size());
  EXPECT_FALSE(results[3].ok());
}

// The parallel entropy stage gives each stream exactly its own
// DecodeLatents result, bad streams included, on one and on two threads.
TEST(CodecBatchTest, DecodeLatentsBatchMatchesSingleDecodes) {
  std::vector<std::string> streams = SmallStreams();
  streams.insert(streams.begin() + 2, "not a stream");
  streams.push_back(streams[0].substr(0, streams[0].size() - 1));
  const std::vector<absl::string_view> views(streams.begin(), streams.end());
  const int before = torch::get_num_threads();
  for (int threads : {1, 2}) {
    torch::set_num_threads(threads);
    const std::vector<absl::StatusOr<DecodedLatents>> batch =
        ExactShippedCodec().DecodeLatentsBatch(views);
    ASSERT_EQ(batch.size(), streams.size());
    for (size_t i = 0; i < streams.size(); ++i) {
      const absl::StatusOr<DecodedLatents> single =
          ExactShippedCodec().DecodeLatents(streams[i]);
      ASSERT_EQ(batch[i].status(), single.status()) << i;
      if (!single.ok()) continue;
      EXPECT_EQ(batch[i]->header, single->header) << i;
      EXPECT_TRUE(torch::equal(batch[i]->y_hat, single->y_hat)) << i;
    }
    EXPECT_FALSE(batch[2].ok());
    EXPECT_EQ(batch.back().status().code(), absl::StatusCode::kDataLoss);
  }
  torch::set_num_threads(before);
}

// A 400x260 image coded at half resolution has the latent shape of the
// 200x130 crops, so it joins their batch and is upsampled on its own.
TEST(CodecBatchTest, DownscaledStreamsBatchWithTheirLatentShape) {
  std::vector<std::string> streams = SmallStreams();
  EncodeOptions half;
  half.downscale = 2;
  absl::StatusOr<std::string> downscaled = ExactShippedCodec().Compress(
      test::Kodim20Crop(100, 100, 400, 260), 0.6, half);
  ASSERT_TRUE(downscaled.ok()) << downscaled.status();
  EXPECT_EQ(*Codec::BatchKey(*downscaled), *Codec::BatchKey(streams[0]));
  streams.insert(streams.begin() + 2, *downscaled);
  const std::vector<absl::StatusOr<image::Image>> results =
      DecompressBatchMatchingSingles(streams);
  ASSERT_EQ(results.size(), streams.size());
  for (const absl::StatusOr<image::Image>& result : results)
    ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(results[2]->width, 400);
  EXPECT_EQ(results[2]->height, 260);
}

TEST(CodecBatchTest, SynthesizeRefusesEmptyAndMixedShapes) {
  EXPECT_EQ(ExactShippedCodec().Synthesize({}).status().code(),
            absl::StatusCode::kInvalidArgument);
  const DecodedLatents small =
      Latents(Encode(test::Kodim20Crop(0, 0, 64, 64), 0.5));
  const DecodedLatents wide =
      Latents(Encode(test::Kodim20Crop(0, 0, 128, 64), 0.5));
  EXPECT_EQ(ExactShippedCodec().Synthesize({small, wide}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ExactShippedCodec().Synthesize({DecodedLatents{}}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(CodecBatchTest, SynthesizeRefusesLatentsThatDoNotFitTheirHeader) {
  DecodedLatents latents =
      Latents(Encode(test::Kodim20Crop(0, 0, 64, 64), 0.5));
  DecodedLatents too_few_channels = latents;
  too_few_channels.y_hat = latents.y_hat.slice(1, 0, 8);
  EXPECT_EQ(ExactShippedCodec().Synthesize({too_few_channels}).status().code(),
            absl::StatusCode::kInvalidArgument);
  DecodedLatents larger_header = latents;
  larger_header.header.width = 200;
  EXPECT_EQ(ExactShippedCodec().Synthesize({larger_header}).status().code(),
            absl::StatusCode::kInvalidArgument);
  // A coded resolution the format does not have, or one format 2 cannot
  // carry, never reaches the shape arithmetic.
  for (uint8_t k : {uint8_t{3}, uint8_t{40}, uint8_t{200}}) {
    DecodedLatents bad_downscale = latents;
    bad_downscale.header.format_version = bitstream::kDownscaleFormatVersion;
    bad_downscale.header.downscale_log2 = k;
    EXPECT_EQ(ExactShippedCodec().Synthesize({bad_downscale}).status().code(),
              absl::StatusCode::kInvalidArgument)
        << int{k};
  }
  DecodedLatents format2_downscaled = latents;
  format2_downscaled.header.downscale_log2 = 1;
  EXPECT_EQ(
      ExactShippedCodec().Synthesize({format2_downscaled}).status().code(),
      absl::StatusCode::kInvalidArgument);
  DecodedLatents other_model = latents;
  other_model.header.weights_hash[0] ^= 1;
  EXPECT_EQ(ExactShippedCodec().Synthesize({other_model}).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(CodecBatchTest, BatchKeyFollowsLatentShape) {
  const std::vector<std::string> same = SmallStreams();
  absl::StatusOr<std::string> key = Codec::BatchKey(same[0]);
  ASSERT_TRUE(key.ok()) << key.status();
  for (const std::string& stream : same)
    EXPECT_EQ(*Codec::BatchKey(stream), *key);
  const std::string other = Encode(test::Kodim20Crop(0, 0, 130, 70), 0.5);
  EXPECT_NE(*Codec::BatchKey(other), *key);
  EXPECT_EQ(Codec::BatchKey("garbage").status().code(),
            ExactShippedCodec().Decompress("garbage").status().code());
}

TEST(CodecBatchTest, DecompressFillsStageTimings) {
  DecodeTimings timings;
  timings.total_ms = -1;
  absl::StatusOr<image::Image> image =
      ExactShippedCodec().Decompress(SmallStreams()[1], &timings);
  ASSERT_TRUE(image.ok()) << image.status();
  EXPECT_GT(timings.total_ms, 0);
  EXPECT_GE(timings.entropy_ms, 0);
  // The hyper-synthesis is part of the entropy stage.
  EXPECT_GT(timings.hyper_synthesis_ms, 0);
  EXPECT_LE(timings.hyper_synthesis_ms, timings.entropy_ms);
  EXPECT_GE(timings.synthesis_ms, 0);
  EXPECT_GE(timings.transfer_ms, 0);
  // The stages are disjoint intervals inside the whole call.
  EXPECT_LE(timings.entropy_ms + timings.synthesis_ms + timings.transfer_ms,
            timings.total_ms);
}

TEST(CodecBatchTest, Float32BatchIsWithinOneOfTheExactSingleDecodes) {
  const std::vector<std::string> streams = SmallStreams();
  const std::vector<absl::string_view> views(streams.begin(), streams.end());
  std::vector<absl::StatusOr<image::Image>> fast =
      test::ShippedCodec().DecompressBatch(views);
  ASSERT_EQ(fast.size(), streams.size());
  for (size_t i = 0; i < streams.size(); ++i) {
    ASSERT_TRUE(fast[i].ok()) << fast[i].status();
    absl::StatusOr<image::Image> exact =
        ExactShippedCodec().Decompress(streams[i]);
    ASSERT_TRUE(exact.ok()) << exact.status();
    absl::StatusOr<image::ValueDifference> difference =
        image::CompareValues(*fast[i], *exact);
    ASSERT_TRUE(difference.ok()) << difference.status();
    EXPECT_LE(difference->max_abs, 1) << "stream " << i;
  }
}

}  // namespace
}  // namespace vlmc::codec
