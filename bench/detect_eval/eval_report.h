#ifndef VLMC_BENCH_DETECT_EVAL_EVAL_REPORT_H_
#define VLMC_BENCH_DETECT_EVAL_EVAL_REPORT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "models/metrics/detection_metrics.h"

namespace vlmc::bench {

// One evaluated pairing of detections and ground truth, e.g. "jpeg q10 vs
// pseudo-GT".
struct EvalRow {
  std::string name;
  int images = 0;
  metrics::DetectionMetrics metrics;
};

// A fixed-width table, one line per row ("-" where a row has no ground truth).
std::string FormatEvalTable(const std::vector<EvalRow>& rows);

// CSV with header model,evaluation,images,classes,map50,map50_95 (-1 where a
// row has no ground truth).
std::string FormatEvalCsv(absl::string_view model,
                          const std::vector<EvalRow>& rows);

// Image file names listed one per line; blank lines and lines starting with
// '#' are skipped. NOT_FOUND for a missing file, INVALID_ARGUMENT for a name
// with a directory part or an empty list.
absl::StatusOr<std::vector<std::string>> ReadImageList(const std::string& path);

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_DETECT_EVAL_EVAL_REPORT_H_
