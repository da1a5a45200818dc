#include "bench/rate_accuracy/bench_options.h"

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "models/codec/codec.h"

namespace vlmc::bench {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(BenchOptionsTest, DefaultsRunEveryCodecOnTheHeldOutList) {
  absl::StatusOr<BenchOptions> o = ParseBenchOptions({});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->list, "models/train/coco_eval_holdout.txt");
  EXPECT_EQ(o->images, "../shared/data/coco/images");
  EXPECT_EQ(o->jobs, 1);
  EXPECT_EQ(o->limit, 0);
  EXPECT_EQ(o->out, "bench/results/rate_accuracy");
  std::vector<std::string> names;
  for (const CodecLadder& c : o->codecs) {
    names.push_back(c.codec);
    EXPECT_EQ(c.points.size(), 6u) << c.codec;
  }
  EXPECT_THAT(names,
              ElementsAre("vlmc", "jpeg", "webp", "avif", "jxl", "hevc"));
}

TEST(BenchOptionsTest, CodecsKeepTheirOrderAndLaddersCanBeReplaced) {
  absl::StatusOr<BenchOptions> o = ParseBenchOptions(
      {"--codecs", "hevc,vlmc", "--ladder-vlmc=0,1", "--ladder-hevc", "40",
       "--limit", "3", "--jobs", "2", "--threads", "1", "--out", "/tmp/x"});
  ASSERT_TRUE(o.ok()) << o.status();
  ASSERT_EQ(o->codecs.size(), 2u);
  EXPECT_EQ(o->codecs[0].codec, "hevc");
  EXPECT_THAT(o->codecs[0].points, ElementsAre(40.0));
  EXPECT_EQ(o->codecs[1].codec, "vlmc");
  EXPECT_THAT(o->codecs[1].points, ElementsAre(0.0, 1.0));
  EXPECT_EQ(o->limit, 3);
  EXPECT_EQ(o->jobs, 2);
  EXPECT_EQ(o->threads, 1);
  EXPECT_EQ(o->out, "/tmp/x");
}

TEST(BenchOptionsTest, VlmcDownscaleTakesTheEncoderValues) {
  absl::StatusOr<BenchOptions> o = ParseBenchOptions({});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->vlmc_downscale, 1);
  for (auto [text, value] : {std::pair{"2", 2}, std::pair{"4", 4},
                             std::pair{"auto", codec::kAutomaticDownscale}}) {
    o = ParseBenchOptions({"--vlmc-downscale", text});
    ASSERT_TRUE(o.ok()) << o.status();
    EXPECT_EQ(o->vlmc_downscale, value) << text;
  }
  for (const char* bad : {"3", "0", "half", ""}) {
    o = ParseBenchOptions({"--vlmc-downscale", bad});
    EXPECT_EQ(o.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(o.status().message(), HasSubstr("--vlmc-downscale")) << bad;
  }
}

TEST(BenchOptionsTest, RejectsBadInvocations) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--jobs", "0"}, "--jobs must be an integer >= 1"},
      {{"--limit", "-1"}, "--limit must be"},
      {{"--threads", "two"}, "--threads expects an integer"},
      {{"--codecs", "vlmc,vvc"}, "unknown codec 'vvc'"},
      {{"--codecs", "vlmc", "--ladder-jpeg", "5"},
       "--ladder-jpeg is given but jpeg is not in --codecs"},
      {{"--ladder-webp", "5,101"}, "webp ladder: '101'"},
      {{"--frobnicate"}, "unknown flag --frobnicate"},
      {{"images/"}, "unexpected argument 'images/'"},
  };
  for (const auto& [args, message] : cases) {
    absl::StatusOr<BenchOptions> o = ParseBenchOptions(args);
    EXPECT_EQ(o.status().code(), absl::StatusCode::kInvalidArgument) << message;
    EXPECT_THAT(o.status().message(), HasSubstr(message));
  }
}

TEST(BenchOptionsTest, UsageListsEveryLadderWithItsDefault) {
  const std::string usage = BenchUsage();
  for (const char* flag :
       {"--ladder-vlmc", "--ladder-jpeg", "--ladder-webp", "--ladder-avif",
        "--ladder-jxl", "--ladder-hevc", "--jobs", "--limit", "--threads",
        "--model", "--detector-models", "--out"}) {
    EXPECT_THAT(usage, HasSubstr(flag));
  }
  EXPECT_THAT(usage, HasSubstr("(default: 0,0.2,0.4,0.6,0.8,1)"));
}

}  // namespace
}  // namespace vlmc::bench
