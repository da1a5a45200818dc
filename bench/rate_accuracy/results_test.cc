#include "bench/rate_accuracy/results.h"

#include "absl/strings/str_split.h"
#include "bench/csv.h"
#include "bench/rd_summary.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vlmc::bench {
namespace {

using ::testing::DoubleEq;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::StartsWith;

semantic::Detection Box(int class_id, float x0, float score = 0.9f) {
  return {class_id, score, x0, 10, x0 + 20, 40};
}

// `found`: whether the detectors find the one labelled object.
PointRecord Record(const std::string& codec, double point,
                   const std::string& image, double bpp, bool found) {
  PointRecord r;
  r.codec = codec;
  r.point = point;
  r.image = image;
  r.width = 200;
  r.height = 100;
  r.bytes = static_cast<int64_t>(bpp * 200 * 100 / 8);
  r.bpp = bpp;
  r.psnr = 30 + bpp;
  r.ms_ssim = 0.9;
  r.token_cosine = 0.8;
  r.token_spectrum = 0.1;
  r.encode_ms = 10;
  r.decode_ms = 20;
  const std::vector<semantic::Detection> truth = {Box(3, 5)};
  const std::vector<semantic::Detection> seen =
      found ? truth : std::vector<semantic::Detection>{Box(3, 150)};
  for (DetectorOutcome& d : r.detectors) d = {{truth, seen}, {truth, seen}};
  return r;
}

TEST(ResultsTest, SummarizesMeansAndMapPerPointInFirstSeenOrder) {
  const std::vector<PointRecord> records = {
      Record("jpeg", 10, "a", 0.2, true), Record("jpeg", 10, "b", 0.4, false),
      Record("vlmc", 0.5, "a", 0.3, true), Record("vlmc", 0.5, "b", 0.5, true),
      Record("jpeg", 50, "a", 1.0, true)};
  const std::vector<SummaryRow> rows = Summarize(records);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].codec, "jpeg");
  EXPECT_EQ(rows[0].point, 10);
  EXPECT_EQ(rows[0].images, 2);
  EXPECT_DOUBLE_EQ(rows[0].bpp, 0.3);
  EXPECT_DOUBLE_EQ(rows[0].psnr, 30.3);
  EXPECT_DOUBLE_EQ(rows[0].encode_ms, 10);
  // One of the two objects found (ties keep image order, so the hit ranks
  // first): precision 1 up to recall 0.5, i.e. 51 of the 101 recall samples.
  EXPECT_NEAR(rows[0].detectors[0].map50_labels, 51.0 / 101, 1e-9);
  EXPECT_EQ(rows[1].codec, "vlmc");
  EXPECT_DOUBLE_EQ(rows[1].detectors[1].map50_pseudo, 1.0);
  EXPECT_DOUBLE_EQ(rows[1].detectors[1].map50_95_labels, 1.0);
  EXPECT_EQ(rows[2].point, 50);
  EXPECT_EQ(rows[2].images, 1);
}

TEST(ResultsTest, RecordsCsvHasOneRowPerRecord) {
  const std::string csv =
      FormatRecordsCsv({Record("vlmc", 0.5, "a.jpg", 0.3, true),
                        Record("hevc", 38, "a.jpg", 0.25, false)});
  const std::vector<std::string> lines =
      absl::StrSplit(csv, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_THAT(lines[0], StartsWith("codec,point,image,width,height,bytes,bpp"));
  EXPECT_THAT(lines[1], StartsWith("vlmc,0.5,a.jpg,200,100,750,0.300000,"));
  EXPECT_THAT(lines[2], StartsWith("hevc,38,a.jpg,"));
}

TEST(ResultsTest, SummaryCsvIsReadableByTheBdRateTools) {
  const std::string csv =
      FormatSummaryCsv(Summarize({Record("jpeg", 10, "a", 0.2, false),
                                  Record("jpeg", 20, "a", 0.4, true)}));
  absl::StatusOr<CsvTable> table = ParseCsv(csv);
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->rows.size(), 2u);
  for (const char* column :
       {"psnr", "ms_ssim", "token_cosine", "centernet_map50_labels",
        "centernet_map50_95_pseudo", "nanodet_map50_pseudo", "decode_ms"}) {
    EXPECT_TRUE(table->Column(column).ok()) << column;
  }
  absl::StatusOr<std::vector<RdPoint>> points =
      RdPointsFromSummary(*table, "nanodet_map50_pseudo");
  ASSERT_TRUE(points.ok()) << points.status();
  EXPECT_THAT(*points,
              ElementsAre(AllOf(Field(&RdPoint::bpp, DoubleEq(0.2)),
                                Field(&RdPoint::metric, DoubleEq(0))),
                          AllOf(Field(&RdPoint::bpp, DoubleEq(0.4)),
                                Field(&RdPoint::metric, DoubleEq(1)))));
}

}  // namespace
}  // namespace vlmc::bench
