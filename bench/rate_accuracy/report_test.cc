#include "bench/rate_accuracy/report.h"

#include <cmath>

#include "absl/status/status.h"
#include "bench/rate_accuracy/ladders.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vlmc::bench {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A point whose every quality measure is `quality`.
SummaryRow Row(const std::string& codec, double point, double bpp,
               double quality, double encode_ms = 10, double decode_ms = 20) {
  SummaryRow r;
  r.codec = codec;
  r.point = point;
  r.images = 4;
  r.bpp = bpp;
  r.psnr = r.ms_ssim = r.token_cosine = quality;
  r.token_spectrum = 1 - quality;
  for (DetectorAccuracy& d : r.detectors) {
    d = {quality, quality / 2, quality, quality / 2};
  }
  r.encode_ms = encode_ms;
  r.decode_ms = decode_ms;
  return r;
}

const ReportMetric& Metric(const std::string& column) {
  for (const ReportMetric& m : ReportMetrics()) {
    if (m.column == column) return m;
  }
  ADD_FAILURE() << "no metric " << column;
  return ReportMetrics().front();
}

TEST(ReportTest, MetricsCoverBothDetectorsAndBothGroundTruths) {
  std::vector<std::string> columns;
  for (const ReportMetric& m : ReportMetrics()) columns.push_back(m.column);
  EXPECT_THAT(columns, ::testing::ElementsAre(
                           "centernet_map50_pseudo", "centernet_map50_labels",
                           "nanodet_map50_pseudo", "nanodet_map50_labels",
                           "token_cosine", "psnr", "ms_ssim"));
  SummaryRow r = Row("x", 1, 1, 0.5);
  r.detectors[1].map50_labels = 0.25;
  EXPECT_DOUBLE_EQ(Metric("nanodet_map50_labels").value(r), 0.25);
  EXPECT_DOUBLE_EQ(Metric("nanodet_map50_pseudo").value(r), 0.5);
}

TEST(ReportTest, BdRateOfTwiceTheBitsIsPlusHundredPercent) {
  const std::vector<SummaryRow> rows = {
      Row("jpeg", 10, 0.25, 0.2), Row("jpeg", 20, 0.5, 0.4),
      Row("jpeg", 40, 1.0, 0.6),  Row("vlmc", 0, 0.5, 0.2),
      Row("vlmc", 0.5, 1.0, 0.4), Row("vlmc", 1, 2.0, 0.6)};
  absl::StatusOr<CodecBd> bd =
      CodecBdRate(rows, "jpeg", kVlmcCodec, Metric("psnr"));
  ASSERT_TRUE(bd.ok()) << bd.status();
  EXPECT_NEAR(bd->percent, 100.0, 1e-6);
  EXPECT_EQ(bd->dropped, 0);
}

TEST(ReportTest, BdRateSkipsDominatedPointsAndCountsThem) {
  const std::vector<SummaryRow> dip = {
      Row("webp", 1, 0.2, 0.3), Row("webp", 2, 0.4, 0.2),
      Row("webp", 3, 0.8, 0.6), Row("vlmc", 0, 0.3, 0.2),
      Row("vlmc", 1, 0.6, 0.5)};
  absl::StatusOr<CodecBd> bd =
      CodecBdRate(dip, "webp", kVlmcCodec, Metric("psnr"));
  ASSERT_TRUE(bd.ok()) << bd.status();
  EXPECT_EQ(bd->dropped, 1);
  EXPECT_TRUE(std::isfinite(bd->percent));
}

TEST(ReportTest, BdRateErrorsNameTheCodecs) {
  const std::vector<SummaryRow> apart = {
      Row("webp", 1, 0.2, 0.1), Row("webp", 2, 0.4, 0.2),
      Row("vlmc", 0, 0.3, 0.5), Row("vlmc", 1, 0.6, 0.7)};
  absl::StatusOr<CodecBd> bd =
      CodecBdRate(apart, "webp", kVlmcCodec, Metric("psnr"));
  EXPECT_EQ(bd.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(bd.status().message(), HasSubstr("webp ["));
  EXPECT_THAT(bd.status().message(), HasSubstr("vlmc ["));

  const std::vector<SummaryRow> flat = {
      Row("webp", 1, 0.2, 0.5), Row("webp", 2, 0.4, 0.5),
      Row("vlmc", 0, 0.3, 0.2), Row("vlmc", 1, 0.6, 0.5)};
  bd = CodecBdRate(flat, "webp", kVlmcCodec, Metric("psnr"));
  EXPECT_EQ(bd.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bd.status().message(), HasSubstr("webp curve has 1 point"));
}

TEST(ReportTest, MarkdownSaysWhyACellHasNoNumber) {
  const std::vector<SummaryRow> rows = {
      Row("vlmc", 0, 0.5, 0.2, 100, 400), Row("vlmc", 1, 1.0, 0.4, 100, 400),
      Row("jpeg", 10, 0.25, 0.2, 5, 4),   Row("jpeg", 40, 0.5, 0.4, 5, 4),
      Row("avif", 60, 0.1, 0.8, 50, 8),   Row("avif", 30, 0.2, 0.9, 50, 8),
      Row("webp", 0, 0.2, 0.2, 50, 8),    Row("webp", 9, 0.3, 0.1, 50, 8),
      Row("webp", 50, 0.5, 0.4, 50, 8)};
  ReportContext context;
  context.command = "vlmc-bench --limit 2";
  context.images = 2;
  context.image_set = "the first 2";
  context.jobs = 2;
  context.threads = 1;
  context.wall_seconds = 75;
  context.uncompressed_map50 = {0.5, 0.25};
  const std::string md = FormatResultsMarkdown(rows, context);
  EXPECT_THAT(md, HasSubstr("Made by `vlmc-bench --limit 2` in 1m15s"));
  EXPECT_THAT(md, HasSubstr("| jpeg | +100.0 % |"));
  EXPECT_THAT(md, HasSubstr("| avif | no overlap [1] |"));
  EXPECT_THAT(md, HasSubstr("1. avif, CenterNet mAP@0.5 vs pseudo-GT: "
                            "curves do not overlap"));
  EXPECT_THAT(md, HasSubstr("| webp | +"));
  EXPECT_THAT(md, HasSubstr(" % † |"));
  EXPECT_THAT(md, Not(HasSubstr("| vlmc | +")));
  // Speed: jpeg's 5 ms against vlmc's 100 ms encode is 0.05 of it.
  EXPECT_THAT(md,
              HasSubstr("| jpeg | 0.25–0.50 | 5.0 | 4.0 | 0.050 | 0.010 |"));
  EXPECT_THAT(md, HasSubstr("| vlmc | 0 | 0.500 |"));
  EXPECT_THAT(md, HasSubstr("NanoDet mAP@0.5 0.250"));
}

TEST(ReportTest, WithoutVlmcThereIsNoBdTableOrRatio) {
  const std::string md = FormatResultsMarkdown(
      {Row("jpeg", 10, 0.25, 0.2), Row("jpeg", 40, 0.5, 0.4)}, {});
  EXPECT_THAT(md, Not(HasSubstr("BD-rate of vlmc")));
  EXPECT_THAT(md, Not(HasSubstr("/ vlmc")));
  EXPECT_THAT(md, HasSubstr("| jpeg | 0.25–0.50 | 10.0 | 20.0 |\n"));
}

}  // namespace
}  // namespace vlmc::bench
