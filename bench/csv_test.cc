#include "bench/csv.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vlmc::bench {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(CsvTest, SkipsCommentsAndBlankLines) {
  absl::StatusOr<CsvTable> t = ParseCsv(
      "# tool: cjpeg\n\ncodec, setting,bpp,psnr\r\njpeg,10,0.25,26.1\n"
      "# trailing comment\njpeg,20,0.4,28.5\n");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_THAT(t->header, ElementsAre("codec", "setting", "bpp", "psnr"));
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_THAT(t->rows[1], ElementsAre("jpeg", "20", "0.4", "28.5"));
  absl::StatusOr<size_t> col = t->Column("psnr");
  ASSERT_TRUE(col.ok());
  EXPECT_EQ(*col, 3u);
}

TEST(CsvTest, MissingColumnNamesHeader) {
  absl::StatusOr<CsvTable> t = ParseCsv("codec,bpp\n");
  ASSERT_TRUE(t.ok());
  absl::StatusOr<size_t> col = t->Column("ms_ssim");
  EXPECT_EQ(col.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(col.status().message(), HasSubstr("'codec,bpp'"));
}

TEST(CsvTest, RejectsRaggedRowsQuotesAndEmpty) {
  absl::StatusOr<CsvTable> t = ParseCsv("a,b\n1,2\n1,2,3\n");
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(t.status().message(), HasSubstr("line 3 has 3 fields"));
  EXPECT_FALSE(ParseCsv("a,b\n\"x\",2\n").ok());
  EXPECT_FALSE(ParseCsv("# only a comment\n").ok());
}

TEST(CsvTest, ParsesDoubles) {
  absl::StatusOr<double> v = ParseCsvDouble("0.125", "bpp");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, 0.125);
  EXPECT_THAT(ParseCsvDouble("abc", "bpp").status().message(),
              HasSubstr("bpp: 'abc'"));
  EXPECT_FALSE(ParseCsvDouble("nan", "psnr").ok());
}

}  // namespace
}  // namespace vlmc::bench
