#include "bench/soak/soak_report.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace vlmc::bench {
namespace {

std::string Mib(const std::optional<long>& kib) {
  return kib ? absl::StrFormat("%.1f", *kib / 1024.0) : "n/a";
}

std::string Count(const std::optional<int>& n) {
  return n ? absl::StrCat(*n) : "n/a";
}

std::string CodeList(const std::map<std::string, long>& codes) {
  return absl::StrJoin(codes, " ", absl::PairFormatter(":"));
}

long Verified(const SoakTally::Snapshot& tally, SoakKind kind) {
  auto it = tally.verified_by_kind.find(SoakKindName(kind));
  return it == tally.verified_by_kind.end() ? 0 : it->second;
}

}  // namespace

std::vector<std::string> FailedChecks(const SoakReport& report,
                                      double max_rss_growth_pct,
                                      int max_fd_growth) {
  std::vector<std::string> failed;
  if (!report.alive_at_end) {
    failed.push_back(
        absl::StrCat("server not alive at end: ", report.alive_detail));
  }
  if (report.exit_status && *report.exit_status != 0) {
    failed.push_back(absl::StrCat("server exit status after SIGTERM ",
                                  *report.exit_status, ", not 0"));
  }
  if (report.tally.unexpected > 0) {
    failed.push_back(
        absl::StrCat(report.tally.unexpected, " unexpected status code(s)"));
  }
  if (report.tally.mismatches > 0) {
    failed.push_back(absl::StrCat(report.tally.mismatches,
                                  " answer(s) differ from the library's"));
  }
  for (SoakKind kind : {SoakKind::kEncode, SoakKind::kDecode}) {
    if (Verified(report.tally, kind) == 0) {
      failed.push_back(
          absl::StrCat("no ", SoakKindName(kind), " answer was verified"));
    }
  }
  if (report.start.fds && report.end.fds &&
      *report.end.fds > *report.start.fds + max_fd_growth) {
    failed.push_back(absl::StrCat("open fds grew from ", *report.start.fds,
                                  " to ", *report.end.fds, " (limit +",
                                  max_fd_growth, ")"));
  }
  if (report.start.rss_kib && report.end.rss_kib &&
      *report.end.rss_kib >
          *report.start.rss_kib * (1 + max_rss_growth_pct / 100)) {
    failed.push_back(
        absl::StrFormat("RSS grew from %.1f to %.1f MiB (limit +%g%%)",
                        *report.start.rss_kib / 1024.0,
                        *report.end.rss_kib / 1024.0, max_rss_growth_pct));
  }
  return failed;
}

std::string FormatSummary(const SoakReport& report,
                          const std::vector<std::string>& failed_checks,
                          double max_rss_growth_pct, int max_fd_growth) {
  const SoakTally::Snapshot& tally = report.tally;
  std::string out = report.setup;
  absl::StrAppendFormat(
      &out, "measured load: %.1f s, %ld calls (%.2f/s)\n", report.load_seconds,
      report.load_calls,
      report.load_seconds > 0 ? report.load_calls / report.load_seconds : 0.0);
  absl::StrAppend(&out, "calls by kind (warm-up included) and status code:\n");
  for (const auto& [kind, codes] : tally.by_kind) {
    long calls = 0;
    for (const auto& [code, n] : codes) calls += n;
    absl::StrAppendFormat(&out, "  %-18s %7ld  %s\n", kind, calls,
                          CodeList(codes));
  }
  absl::StrAppend(&out, "responses by status code: ", CodeList(tally.by_code),
                  "\n");
  absl::StrAppend(
      &out, "OK answers checked against the library: ", tally.verified, " (",
      CodeList(tally.verified_by_kind), "), mismatches: ", tally.mismatches,
      ", unexpected codes: ", tally.unexpected, "\n");
  for (const std::string& failure : tally.first_failures) {
    absl::StrAppend(&out, "  ", failure, "\n");
  }
  absl::StrAppend(&out, "server RSS MiB: start ", Mib(report.start.rss_kib),
                  ", end ", Mib(report.end.rss_kib), ", max under load ",
                  report.peak_rss_mib > 0
                      ? absl::StrFormat("%.1f", report.peak_rss_mib)
                      : "n/a",
                  " (limit: end <= start + ", max_rss_growth_pct, "%)\n");
  absl::StrAppend(&out, "server open fds: start ", Count(report.start.fds),
                  ", end ", Count(report.end.fds), " (limit: end <= start + ",
                  max_fd_growth, ")\n");
  absl::StrAppend(&out,
                  "server alive at end: ", report.alive_at_end ? "yes" : "NO",
                  " (", report.alive_detail, ")\n");
  if (report.exit_status) {
    absl::StrAppend(
        &out, "server exit status after SIGTERM: ", *report.exit_status, "\n");
  }
  for (const std::string& failed : failed_checks) {
    absl::StrAppend(&out, "FAILED: ", failed, "\n");
  }
  absl::StrAppend(&out, "result: ", failed_checks.empty() ? "PASS" : "FAIL",
                  "\n");
  return out;
}

std::string FormatSamplesCsv(const std::vector<ProcessSample>& samples) {
  std::string csv = "elapsed_s,phase,rss_mib,fds,calls\n";
  for (const ProcessSample& s : samples) {
    absl::StrAppendFormat(&csv, "%.1f,%s,%s,%s,%ld\n", s.elapsed_s, s.phase,
                          Mib(s.rss_kib), Count(s.fds), s.calls);
  }
  return csv;
}

}  // namespace vlmc::bench
