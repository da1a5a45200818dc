#include "bench/detect_eval/eval_report.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "models/util/file_io.h"

namespace vlmc::bench {
namespace {

std::string MapCell(double map) {
  return map < 0 ? "-" : absl::StrFormat("%.4f", map);
}

}  // namespace

std::string FormatEvalTable(const std::vector<EvalRow>& rows) {
  size_t width = 10;
  for (const EvalRow& row : rows) width = std::max(width, row.name.size());
  std::string out =
      absl::StrFormat("%-*s %7s %8s %9s %13s\n", width, "evaluation", "images",
                      "classes", "mAP@0.5", "mAP@[.5:.95]");
  for (const EvalRow& row : rows) {
    absl::StrAppendFormat(&out, "%-*s %7d %8d %9s %13s\n", width, row.name,
                          row.images, row.metrics.num_classes,
                          MapCell(row.metrics.map50),
                          MapCell(row.metrics.map50_95));
  }
  return out;
}

std::string FormatEvalCsv(absl::string_view model,
                          const std::vector<EvalRow>& rows) {
  std::string out = "model,evaluation,images,classes,map50,map50_95\n";
  for (const EvalRow& row : rows) {
    absl::StrAppendFormat(&out, "%s,%s,%d,%d,%.6f,%.6f\n", model, row.name,
                          row.images, row.metrics.num_classes,
                          row.metrics.map50, row.metrics.map50_95);
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> ReadImageList(
    const std::string& path) {
  absl::StatusOr<std::string> text = util::ReadFile(path, 16 << 20);
  if (!text.ok()) return text.status();
  std::vector<std::string> names;
  for (absl::string_view line : absl::StrSplit(*text, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || absl::StartsWith(line, "#")) continue;
    if (absl::StrContains(line, "/")) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": \"", line, "\" is not a plain file name"));
    }
    names.emplace_back(line);
  }
  if (names.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": no image names"));
  }
  return names;
}

}  // namespace vlmc::bench
