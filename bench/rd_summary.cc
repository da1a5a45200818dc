#include "bench/rd_summary.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace vlmc::bench {

std::vector<RdSummaryRow> SummarizeBySetting(const std::vector<RdRow>& rows) {
  std::vector<RdSummaryRow> out;
  for (const RdRow& row : rows) {
    RdSummaryRow* s = nullptr;
    for (RdSummaryRow& existing : out) {
      if (existing.codec == row.codec && existing.setting == row.setting) {
        s = &existing;
      }
    }
    if (s == nullptr) {
      out.push_back({row.codec, row.setting, 0, 0, 0});
      s = &out.back();
    }
    ++s->images;
    s->bpp += row.bpp;
    s->psnr += row.psnr;
  }
  for (RdSummaryRow& s : out) {
    s.bpp /= s.images;
    s.psnr /= s.images;
  }
  return out;
}

std::string FormatRowsCsv(const std::vector<RdRow>& rows) {
  std::string out = "codec,image,setting,bytes,bpp,psnr\n";
  for (const RdRow& r : rows) {
    absl::StrAppendFormat(&out, "%s,%s,%d,%d,%.6f,%.4f\n", r.codec, r.image,
                          r.setting, r.bytes, r.bpp, r.psnr);
  }
  return out;
}

std::string FormatSummaryCsv(const std::vector<RdSummaryRow>& rows) {
  std::string out = "codec,setting,bpp,psnr,images\n";
  for (const RdSummaryRow& r : rows) {
    absl::StrAppendFormat(&out, "%s,%d,%.6f,%.4f,%d\n", r.codec, r.setting,
                          r.bpp, r.psnr, r.images);
  }
  return out;
}

absl::StatusOr<std::vector<RdPoint>> RdPointsFromSummary(
    const CsvTable& table, absl::string_view metric, absl::string_view codec) {
  absl::StatusOr<size_t> bpp_col = table.Column("bpp");
  if (!bpp_col.ok()) return bpp_col.status();
  absl::StatusOr<size_t> metric_col = table.Column(metric);
  if (!metric_col.ok()) return metric_col.status();
  size_t codec_col = 0;
  if (!codec.empty()) {
    absl::StatusOr<size_t> col = table.Column("codec");
    if (!col.ok()) return col.status();
    codec_col = *col;
  }
  std::vector<RdPoint> points;
  for (size_t i = 0; i < table.rows.size(); ++i) {
    if (!codec.empty() && table.rows[i][codec_col] != codec) continue;
    const std::string where = absl::StrCat("row ", i + 1);
    absl::StatusOr<double> bpp =
        ParseCsvDouble(table.rows[i][*bpp_col], absl::StrCat(where, " bpp"));
    if (!bpp.ok()) return bpp.status();
    absl::StatusOr<double> value = ParseCsvDouble(
        table.rows[i][*metric_col], absl::StrCat(where, " ", metric));
    if (!value.ok()) return value.status();
    points.push_back({*bpp, *value});
  }
  return points;
}

}  // namespace vlmc::bench
