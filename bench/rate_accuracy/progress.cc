#include "bench/rate_accuracy/progress.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_format.h"

namespace vlmc::bench {

std::string FormatDuration(double seconds) {
  const long total = std::lround(std::max(seconds, 0.0));
  if (total < 60) return absl::StrFormat("%ds", total);
  if (total < 3600) return absl::StrFormat("%dm%02ds", total / 60, total % 60);
  return absl::StrFormat("%dh%02dm", total / 3600, total % 3600 / 60);
}

std::string ProgressLine(absl::string_view what, int done, int total,
                         double elapsed_seconds) {
  const std::string eta =
      done > 0 ? FormatDuration(elapsed_seconds / done * (total - done)) : "?";
  return absl::StrFormat("%s [%d/%d, elapsed %s, ETA %s]", what, done, total,
                         FormatDuration(elapsed_seconds), eta);
}

}  // namespace vlmc::bench
