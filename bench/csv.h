#ifndef VLMC_BENCH_CSV_H_
#define VLMC_BENCH_CSV_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vlmc::bench {

// A simple comma-separated table: no quoting, fields trimmed of spaces.
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  // Index of the column named `name`, or NOT_FOUND listing the header.
  absl::StatusOr<size_t> Column(absl::string_view name) const;
};

// Parses `text`: lines starting with '#' and blank lines are skipped, the
// first remaining line is the header. INVALID_ARGUMENT (with the 1-based line
// number) for a row whose field count differs from the header's, a quote
// character, or a text without a header.
absl::StatusOr<CsvTable> ParseCsv(absl::string_view text);

// Parses a field as a finite double; INVALID_ARGUMENT naming `what` if not.
absl::StatusOr<double> ParseCsvDouble(absl::string_view field,
                                      absl::string_view what);

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_CSV_H_
