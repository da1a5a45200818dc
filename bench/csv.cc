#include "bench/csv.h"

#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace vlmc::bench {

absl::StatusOr<size_t> CsvTable::Column(absl::string_view name) const {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  return absl::NotFoundError(absl::StrFormat(
      "no column '%s' in CSV header '%s'", name, absl::StrJoin(header, ",")));
}

absl::StatusOr<CsvTable> ParseCsv(absl::string_view text) {
  CsvTable table;
  bool have_header = false;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);  // Also drops a '\r'.
    if (line.empty() || line[0] == '#') continue;
    if (line.find('"') != absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "CSV line %d: quoted fields are not supported", line_number));
    }
    std::vector<std::string> fields;
    for (absl::string_view field : absl::StrSplit(line, ',')) {
      fields.emplace_back(absl::StripAsciiWhitespace(field));
    }
    if (!have_header) {
      table.header = std::move(fields);
      have_header = true;
      continue;
    }
    if (fields.size() != table.header.size()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("CSV line %d has %d fields, header has %d",
                          line_number, fields.size(), table.header.size()));
    }
    table.rows.push_back(std::move(fields));
  }
  if (!have_header) return absl::InvalidArgumentError("CSV has no header row");
  return table;
}

absl::StatusOr<double> ParseCsvDouble(absl::string_view field,
                                      absl::string_view what) {
  double value = 0;
  if (!absl::SimpleAtod(field, &value) || !std::isfinite(value)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: '%s' is not a finite number", what, field));
  }
  return value;
}

}  // namespace vlmc::bench
