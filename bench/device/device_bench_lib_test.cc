#include <gtest/gtest.h>

#include "bench/device/bench_images.h"
#include "bench/device/device_bench_options.h"
#include "bench/device/timing_summary.h"

namespace vlmc::bench {
namespace {

absl::StatusOr<DeviceBenchOptions> Parse(std::vector<std::string> args) {
  absl::StatusOr<cli::Flags> flags =
      cli::Flags::Parse(args, DeviceBenchFlagSpecs());
  if (!flags.ok()) return flags.status();
  return ParseDeviceBenchOptions(*flags);
}

TEST(DeviceBenchOptionsTest, DefaultsMeasureCpuAtFullHd) {
  absl::StatusOr<DeviceBenchOptions> options = Parse({});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->device, "cpu");
  EXPECT_EQ(options->synthesis, codec::SynthesisPrecision::kFloat32);
  EXPECT_EQ(options->large_size.width, 1920);
  EXPECT_EQ(options->large_size.height, 1080);
  EXPECT_EQ(options->image_size.width, 0);
  EXPECT_EQ(options->batch_sizes, (std::vector<int>{1, 4, 8}));
  EXPECT_EQ(options->large_batch_sizes, (std::vector<int>{1, 4, 8}));
  EXPECT_EQ(options->substream_counts, (std::vector<int>{1, 2, 5, 16}));
}

TEST(DeviceBenchOptionsTest, ParsesEveryFlag) {
  absl::StatusOr<DeviceBenchOptions> options = Parse({"--device",
                                                      "cuda:1",
                                                      "--synthesis=float16",
                                                      "--threads=2",
                                                      "--iterations",
                                                      "7",
                                                      "--warmup",
                                                      "0",
                                                      "--image-size",
                                                      "64x32",
                                                      "--large-size",
                                                      "128x96",
                                                      "--qualities",
                                                      "0,0.25,1",
                                                      "--batch-sizes",
                                                      "2,3",
                                                      "--large-batch-sizes",
                                                      "1",
                                                      "--substream-counts",
                                                      "4,64",
                                                      "--csv",
                                                      "out.csv"});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->device, "cuda:1");
  EXPECT_EQ(options->synthesis, codec::SynthesisPrecision::kFloat16);
  EXPECT_EQ(options->threads, 2);
  EXPECT_EQ(options->iterations, 7);
  EXPECT_EQ(options->warmup, 0);
  EXPECT_EQ(options->image_size.width, 64);
  EXPECT_EQ(options->image_size.height, 32);
  EXPECT_EQ(options->large_size.width, 128);
  EXPECT_EQ(options->qualities, (std::vector<double>{0, 0.25, 1}));
  EXPECT_EQ(options->batch_sizes, (std::vector<int>{2, 3}));
  EXPECT_EQ(options->large_batch_sizes, (std::vector<int>{1}));
  EXPECT_EQ(options->csv_path, "out.csv");
  // The single-stream baseline is always measured.
  EXPECT_EQ(options->substream_counts, (std::vector<int>{1, 4, 64}));
}

TEST(DeviceBenchOptionsTest, RefusesBadValues) {
  for (std::vector<std::string> args :
       {std::vector<std::string>{"--iterations", "0"},
        {"--warmup", "-1"},
        {"--threads", "x"},
        {"--large-size", "1920"},
        {"--image-size", "0x10"},
        {"--qualities", "1.5"},
        {"--batch-sizes", "0"},
        {"--batch-sizes", "1,,2"},
        {"--large-batch-sizes", "x"},
        {"--substream-counts", "0"},
        {"--substream-counts", "65"},
        {"--synthesis", "half"}}) {
    EXPECT_EQ(Parse(args).status().code(), absl::StatusCode::kInvalidArgument)
        << args[0] << " " << args[1];
  }
}

TEST(TimingSummaryTest, MedianAndNearestRankP90) {
  EXPECT_EQ(SummarizeTimings({}).median_ms, 0);
  TimingSummary odd = SummarizeTimings({5, 1, 3});
  EXPECT_EQ(odd.median_ms, 3);
  EXPECT_EQ(odd.p90_ms, 5);
  TimingSummary even = SummarizeTimings({4, 1, 3, 2});
  EXPECT_EQ(even.median_ms, 2.5);
  EXPECT_EQ(even.p90_ms, 4);
  std::vector<double> ten;
  for (int i = 10; i >= 1; --i) ten.push_back(i);
  EXPECT_EQ(SummarizeTimings(ten).p90_ms, 9);
}

TEST(BenchImagesTest, MirrorTileRepeatsWithMirroredNeighbours) {
  // 2x1 image: pixel values 10 and 20 (all channels).
  const image::Image source{2, 1, {10, 10, 10, 20, 20, 20}};
  const image::Image tiled = MirrorTile(source, 5, 3);
  ASSERT_EQ(tiled.width, 5);
  ASSERT_EQ(tiled.height, 3);
  ASSERT_EQ(tiled.rgb.size(), 45u);
  const std::vector<uint8_t> row = {10, 20, 20, 10, 10};
  for (int y = 0; y < 3; ++y) {
    for (int x = 0; x < 5; ++x) {
      EXPECT_EQ(tiled.rgb[(y * 5 + x) * 3 + 1], row[x]) << x << "," << y;
    }
  }
  const image::Image cropped = MirrorTile(source, 1, 1);
  EXPECT_EQ(cropped.rgb, (std::vector<uint8_t>{10, 10, 10}));
}

TEST(BenchImagesTest, PixelHashSeesOnePixelChange) {
  image::Image a{1, 2, {1, 2, 3, 4, 5, 6}};
  image::Image b = a;
  EXPECT_EQ(PixelHash(a), PixelHash(b));
  b.rgb[5] = 7;
  EXPECT_NE(PixelHash(a), PixelHash(b));
  EXPECT_EQ(PixelHash(a).size(), 16u);
}

}  // namespace
}  // namespace vlmc::bench
