#include "bench/rd_summary.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vlmc::bench {
namespace {

using ::testing::HasSubstr;

TEST(RdSummaryTest, MeansPerSettingInFirstAppearanceOrder) {
  const std::vector<RdRow> rows = {
      {"jpeg", "a.png", 50, 1000, 0.5, 30},
      {"jpeg", "a.png", 10, 400, 0.2, 25},
      {"jpeg", "b.png", 50, 3000, 1.5, 34},
      {"jpeg", "b.png", 10, 800, 0.4, 27},
  };
  const std::vector<RdSummaryRow> s = SummarizeBySetting(rows);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].setting, 50);
  EXPECT_EQ(s[0].images, 2);
  EXPECT_DOUBLE_EQ(s[0].bpp, 1.0);
  EXPECT_DOUBLE_EQ(s[0].psnr, 32);
  EXPECT_EQ(s[1].setting, 10);
  EXPECT_NEAR(s[1].bpp, 0.3, 1e-15);
  EXPECT_DOUBLE_EQ(s[1].psnr, 26);
  EXPECT_EQ(FormatSummaryCsv(s),
            "codec,setting,bpp,psnr,images\n"
            "jpeg,50,1.000000,32.0000,2\n"
            "jpeg,10,0.300000,26.0000,2\n");
  EXPECT_EQ(FormatRowsCsv({rows[0]}),
            "codec,image,setting,bytes,bpp,psnr\n"
            "jpeg,a.png,50,1000,0.500000,30.0000\n");
}

TEST(RdSummaryTest, SummaryCsvRoundTripsToRdPoints) {
  absl::StatusOr<CsvTable> t = ParseCsv(FormatSummaryCsv(
      {{"webp", 5, 3, 0.125, 26.5}, {"webp", 50, 3, 0.75, 33.25}}));
  ASSERT_TRUE(t.ok()) << t.status();
  absl::StatusOr<std::vector<RdPoint>> p = RdPointsFromSummary(*t, "psnr");
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->size(), 2u);
  EXPECT_EQ((*p)[1].bpp, 0.75);
  EXPECT_EQ((*p)[1].metric, 33.25);
}

TEST(RdSummaryTest, RdPointsOfOneCodec) {
  absl::StatusOr<CsvTable> t =
      ParseCsv(FormatSummaryCsv({{"webp", 5, 3, 0.125, 26.5},
                                 {"avif", 60, 3, 0.1, 27.0},
                                 {"webp", 50, 3, 0.75, 33.25}}));
  ASSERT_TRUE(t.ok()) << t.status();
  absl::StatusOr<std::vector<RdPoint>> webp =
      RdPointsFromSummary(*t, "psnr", "webp");
  ASSERT_TRUE(webp.ok()) << webp.status();
  ASSERT_EQ(webp->size(), 2u);
  EXPECT_EQ((*webp)[0].bpp, 0.125);
  EXPECT_EQ((*webp)[1].bpp, 0.75);
  absl::StatusOr<std::vector<RdPoint>> none =
      RdPointsFromSummary(*t, "psnr", "jpeg");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  absl::StatusOr<CsvTable> no_codec = ParseCsv("bpp,psnr\n0.1,30\n");
  ASSERT_TRUE(no_codec.ok());
  EXPECT_EQ(RdPointsFromSummary(*no_codec, "psnr", "webp").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(RdSummaryTest, RdPointsReportMissingColumnAndBadValue) {
  absl::StatusOr<CsvTable> t = ParseCsv("codec,setting,bpp,psnr\nx,1,0.1,zz\n");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(RdPointsFromSummary(*t, "ms_ssim").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_THAT(RdPointsFromSummary(*t, "psnr").status().message(),
              HasSubstr("row 1 psnr: 'zz'"));
}

}  // namespace
}  // namespace vlmc::bench
