#ifndef VLMC_BENCH_RATE_ACCURACY_REPORT_H_
#define VLMC_BENCH_RATE_ACCURACY_REPORT_H_

#include <array>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bench/bd_rate.h"
#include "bench/rate_accuracy/results.h"

namespace vlmc::bench {

// A quality measure the report compares codecs on (higher is better).
struct ReportMetric {
  std::string column;  // Its summary CSV column, e.g. "psnr".
  std::string title;   // Its table heading.
  std::function<double(const SummaryRow&)> value;
};

// The metrics of the BD-rate table, in column order: CenterNet and NanoDet
// mAP@0.5 against pseudo ground truth and against the labels, token cosine,
// PSNR, MS-SSIM.
const std::vector<ReportMetric>& ReportMetrics();

struct CodecBd {
  double percent = 0;  // BD-rate of test against reference.
  int dropped = 0;     // Dominated points left out of both curves.
};

// BD-rate (bench/bd_rate.h) in percent of `test` against `reference` on
// `metric`, from their summary rows, over each curve's ParetoFront.
// FAILED_PRECONDITION when the metric ranges do not overlap,
// INVALID_ARGUMENT when a curve keeps fewer than 2 points; both messages
// name the codec.
absl::StatusOr<CodecBd> CodecBdRate(const std::vector<SummaryRow>& rows,
                                    absl::string_view reference,
                                    absl::string_view test,
                                    const ReportMetric& metric);

// How the results were made, for the report's header.
struct ReportContext {
  std::string command;    // The command line, as run.
  std::string image_set;  // E.g. "the first 16 of models/train/...".
  int images = 0;
  int jobs = 1;
  int threads = 0;  // LibTorch threads per job (0: its default).
  double wall_seconds = 0;
  // mAP of each detector on the uncompressed images vs the labels.
  std::array<double, 2> uncompressed_map50 = {-1, -1};
  std::array<double, 2> uncompressed_map50_95 = {-1, -1};
};

// results.md: the BD-rate of vlmc against every other codec in `rows`
// (a cell says "no overlap" or "n/a" instead of a number, with the reason in
// a note, and is marked where dominated points were left out), a speed table
// (mean encode/decode ms and their ratio to vlmc's), the plots
// bench/rate_accuracy/plot.gp draws, and every point. Without a vlmc curve the
// BD-rate and ratio columns are left out.
std::string FormatResultsMarkdown(const std::vector<SummaryRow>& rows,
                                  const ReportContext& context);

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_RATE_ACCURACY_REPORT_H_
