// vlmc-bdrate: Bjontegaard delta rate (and delta metric) between two summary
// CSVs written by vlmc-baseline-rd (or any CSV with bpp and metric columns).
//
//   vlmc-bdrate --reference ref_summary.csv --test test_summary.csv
//       [--metric psnr] [--reference-codec C] [--test-codec C] [--pareto 1]
//
// --reference-codec / --test-codec pick one codec's rows of a summary that
// holds several (vlmc-bench's); --pareto 1 leaves out the points a cheaper
// point of the same curve matches or beats (ParetoFront), as vlmc-bench's
// report does for noisy metrics such as mAP.

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "bench/bd_rate.h"
#include "bench/cli_args.h"
#include "bench/csv.h"
#include "bench/rd_summary.h"
#include "models/util/file_io.h"

namespace vlmc::bench {
namespace {

constexpr char kUsage[] =
    "usage: vlmc-bdrate --reference REF.csv --test TEST.csv [--metric psnr]\n"
    "         [--reference-codec C] [--test-codec C] [--pareto 0|1]\n";

struct Curve {
  std::string label;  // "path (codec)".
  std::vector<RdPoint> points;
  int dropped = 0;  // dominated points left out (--pareto 1)
};

absl::StatusOr<Curve> LoadCurve(const std::string& path,
                                const std::string& metric,
                                const std::string& codec, bool pareto) {
  absl::StatusOr<std::string> text = util::ReadFile(path, 1 << 26);
  if (!text.ok()) return text.status();
  absl::StatusOr<CsvTable> table = ParseCsv(*text);
  if (!table.ok()) {
    return absl::Status(table.status().code(),
                        absl::StrCat(path, ": ", table.status().message()));
  }
  absl::StatusOr<size_t> codec_col = table->Column("codec");
  if (codec.empty() && codec_col.ok()) {
    // Several codecs' points merged into one curve would mean nothing.
    std::set<std::string> codecs;
    for (const auto& row : table->rows) codecs.insert(row[*codec_col]);
    if (codecs.size() > 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, " holds several codecs (", absl::StrJoin(codecs, ", "),
          "): pick one with --reference-codec / --test-codec"));
    }
  }
  absl::StatusOr<std::vector<RdPoint>> points =
      RdPointsFromSummary(*table, metric, codec);
  if (!points.ok()) {
    return absl::Status(points.status().code(),
                        absl::StrCat(path, ": ", points.status().message()));
  }
  if (points->empty()) {
    return absl::InvalidArgumentError(
        codec.empty() ? absl::StrCat(path, " has no data rows")
                      : absl::StrCat(path, " has no rows of codec ", codec));
  }
  Curve curve{path, *std::move(points)};
  if (pareto) {
    ParetoCurve front = ParetoFront(std::move(curve.points));
    curve.points = std::move(front.kept);
    curve.dropped = front.dropped;
  }
  if (!codec.empty()) {
    absl::StrAppend(&curve.label, " (", codec, ")");
  } else if (codec_col.ok() && !table->rows.empty()) {
    absl::StrAppend(&curve.label, " (", table->rows[0][*codec_col], ")");
  }
  return curve;
}

void PrintCurve(const char* role, const Curve& c, const std::string& metric) {
  double bmin = c.points[0].bpp, bmax = bmin;
  double mmin = c.points[0].metric, mmax = mmin;
  for (const RdPoint& p : c.points) {
    bmin = std::min(bmin, p.bpp);
    bmax = std::max(bmax, p.bpp);
    mmin = std::min(mmin, p.metric);
    mmax = std::max(mmax, p.metric);
  }
  absl::PrintF("%-9s %s: %d points, bpp %.4f..%.4f, %s %.3f..%.3f", role,
               c.label, c.points.size(), bmin, bmax, metric, mmin, mmax);
  if (c.dropped > 0) absl::PrintF(" (%d dominated left out)", c.dropped);
  absl::PrintF("\n");
}

absl::Status Run(int argc, char** argv) {
  absl::StatusOr<std::map<std::string, std::string>> flags =
      ParseFlags(argc, argv,
                 {"reference", "test", "metric", "reference-codec",
                  "test-codec", "pareto"});
  if (!flags.ok()) return flags.status();
  for (const char* required : {"reference", "test"}) {
    if (flags->count(required) == 0) {
      return absl::InvalidArgumentError(absl::StrCat("missing --", required));
    }
  }
  const std::string metric =
      flags->count("metric") ? flags->at("metric") : "psnr";
  const std::string pareto_flag =
      flags->count("pareto") ? flags->at("pareto") : "0";
  if (pareto_flag != "0" && pareto_flag != "1") {
    return absl::InvalidArgumentError("--pareto must be 0 or 1");
  }
  const bool pareto = pareto_flag == "1";
  auto flag_or_empty = [&](const char* name) {
    return flags->count(name) ? flags->at(name) : std::string();
  };
  absl::StatusOr<Curve> ref = LoadCurve(
      flags->at("reference"), metric, flag_or_empty("reference-codec"), pareto);
  if (!ref.ok()) return ref.status();
  absl::StatusOr<Curve> test =
      LoadCurve(flags->at("test"), metric, flag_or_empty("test-codec"), pareto);
  if (!test.ok()) return test.status();
  PrintCurve("reference", *ref, metric);
  PrintCurve("test", *test, metric);
  absl::StatusOr<double> rate = BdRate(ref->points, test->points);
  if (!rate.ok()) return rate.status();
  absl::StatusOr<double> delta = BdMetric(ref->points, test->points);
  if (!delta.ok()) return delta.status();
  absl::PrintF("BD-rate (%s): %+.2f%%\n", metric, *rate);
  absl::PrintF("BD-%s: %+.3f\n", metric, *delta);
  return absl::OkStatus();
}

}  // namespace
}  // namespace vlmc::bench

int main(int argc, char** argv) {
  const absl::Status status = vlmc::bench::Run(argc, argv);
  if (!status.ok()) {
    absl::FPrintF(stderr, "vlmc-bdrate: %s\n%s", status.ToString(),
                  vlmc::bench::kUsage);
    return 1;
  }
  return 0;
}
