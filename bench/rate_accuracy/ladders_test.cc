#include "bench/rate_accuracy/ladders.h"

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vlmc::bench {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(LaddersTest, EveryDefaultLadderParsesWithSixPoints) {
  for (const std::string& codec : KnownRateCodecs()) {
    absl::StatusOr<std::vector<double>> points =
        ParseLadder(codec, DefaultLadder(codec));
    ASSERT_TRUE(points.ok()) << codec << ": " << points.status();
    EXPECT_EQ(points->size(), 6u) << codec;
    EXPECT_FALSE(LadderMeaning(codec).empty()) << codec;
  }
}

TEST(LaddersTest, DefaultCodecsAreAllKnown) {
  absl::StatusOr<std::vector<std::string>> codecs =
      ParseCodecList(kDefaultCodecs);
  ASSERT_TRUE(codecs.ok()) << codecs.status();
  EXPECT_THAT(*codecs,
              ElementsAre("vlmc", "jpeg", "webp", "avif", "jxl", "hevc"));
}

TEST(LaddersTest, CodecListRejectsUnknownAndRepeatedNames) {
  EXPECT_THAT(ParseCodecList("vlmc,vvc").status().message(),
              HasSubstr("unknown codec 'vvc'"));
  EXPECT_THAT(ParseCodecList("jpeg, jpeg").status().message(),
              HasSubstr("'jpeg' is listed twice"));
  EXPECT_FALSE(ParseCodecList("").ok());
}

TEST(LaddersTest, VlmcTakesQualitiesInTheUnitInterval) {
  absl::StatusOr<std::vector<double>> points = ParseLadder("vlmc", "0, 0.25,1");
  ASSERT_TRUE(points.ok()) << points.status();
  EXPECT_THAT(*points, ElementsAre(0.0, 0.25, 1.0));
  EXPECT_EQ(ParseLadder("vlmc", "1.5").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseLadder("vlmc", "-0.1").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(LaddersTest, BaselinesTakeIntegersOnTheirToolsScale) {
  absl::StatusOr<std::vector<double>> points = ParseLadder("avif", "60,32");
  ASSERT_TRUE(points.ok()) << points.status();
  EXPECT_THAT(*points, ElementsAre(60.0, 32.0));
  EXPECT_THAT(ParseLadder("avif", "64").status().message(),
              HasSubstr("avif ladder: '64' is not an integer in 0..63"));
  EXPECT_THAT(ParseLadder("jpeg", "7.5").status().message(),
              HasSubstr("'7.5'"));
  EXPECT_THAT(ParseLadder("jxl", "3").status().message(), HasSubstr("5..100"));
}

TEST(LaddersTest, RejectsEmptyRepeatedOrUnknown) {
  EXPECT_FALSE(ParseLadder("jpeg", "").ok());
  EXPECT_FALSE(ParseLadder("jpeg", "10,,20").ok());
  EXPECT_THAT(ParseLadder("jpeg", "10,20,10").status().message(),
              HasSubstr("listed twice"));
  EXPECT_FALSE(ParseLadder("vvc", "10").ok());
  EXPECT_EQ(DefaultLadder("vvc"), "");
}

TEST(LaddersTest, PointsPrintShortest) {
  EXPECT_EQ(FormatPoint(0.4), "0.4");
  EXPECT_EQ(FormatPoint(35), "35");
  EXPECT_EQ(FormatPoint(0), "0");
}

}  // namespace
}  // namespace vlmc::bench
