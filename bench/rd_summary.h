#ifndef VLMC_BENCH_RD_SUMMARY_H_
#define VLMC_BENCH_RD_SUMMARY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bench/bd_rate.h"
#include "bench/csv.h"

namespace vlmc::bench {

// One image coded at one setting.
struct RdRow {
  std::string codec;
  std::string image;
  int setting = 0;
  int64_t bytes = 0;
  double bpp = 0;
  double psnr = 0;
};

// Means over the images coded at one setting.
struct RdSummaryRow {
  std::string codec;
  int setting = 0;
  int images = 0;
  double bpp = 0;   // Mean bpp.
  double psnr = 0;  // Mean PSNR in dB.
};

// Groups rows by (codec, setting), in order of first appearance.
std::vector<RdSummaryRow> SummarizeBySetting(const std::vector<RdRow>& rows);

// CSV text with a header row: codec,image,setting,bytes,bpp,psnr.
std::string FormatRowsCsv(const std::vector<RdRow>& rows);

// CSV text with a header row: codec,setting,bpp,psnr,images.
std::string FormatSummaryCsv(const std::vector<RdSummaryRow>& rows);

// (bpp, `metric`) of every row of a summary table, or only of the rows whose
// "codec" column is `codec` when it is not empty; errors name the column or
// the row that is missing or malformed.
absl::StatusOr<std::vector<RdPoint>> RdPointsFromSummary(
    const CsvTable& table, absl::string_view metric,
    absl::string_view codec = "");

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_RD_SUMMARY_H_
