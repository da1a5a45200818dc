#ifndef VLMC_MODELS_RATECONTROL_SEARCH_UTIL_H_
#define VLMC_MODELS_RATECONTROL_SEARCH_UTIL_H_

// Helpers shared by the rate and task searches (internal to ratecontrol).

#include <cstddef>
#include <functional>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "models/image/image.h"

namespace vlmc::ratecontrol {

inline double BitsPerPixel(size_t stream_bytes, const image::Image& image) {
  return stream_bytes * 8.0 / (static_cast<double>(image.width) * image.height);
}

// CANCELLED when the caller asked to stop (an unset callback never does).
inline absl::Status CheckNotStopped(const std::function<bool()>& should_stop,
                                    int passes_done) {
  if (should_stop && should_stop()) {
    return absl::CancelledError(absl::StrCat(
        "encoding stopped by the caller after ", passes_done, " pass(es)"));
  }
  return absl::OkStatus();
}

// The bisection on quality both searches end with. `best` is the result at
// quality `meeting` (it meets the target), `missing` a quality that misses;
// the target is assumed monotone in quality between them. While
// `passes_spent` < `max_passes`, runs `run_pass` at the midpoint and moves
// the end whose side it falls on; returns the meeting result nearest the
// missing end. The rate search meets at low quality and misses at high, the
// task search the other way round.
template <typename Encoded>
absl::StatusOr<Encoded> BisectQuality(
    double meeting, double missing, Encoded best, const int& passes_spent,
    int max_passes,
    const std::function<absl::StatusOr<Encoded>(double)>& run_pass,
    const std::function<bool(const Encoded&)>& meets) {
  while (passes_spent < max_passes) {
    const double mid = 0.5 * (meeting + missing);
    absl::StatusOr<Encoded> trial = run_pass(mid);
    if (!trial.ok()) return trial.status();
    if (meets(*trial)) {
      meeting = mid;
      best = *std::move(trial);
    } else {
      missing = mid;
    }
  }
  return best;
}

}  // namespace vlmc::ratecontrol

#endif  // VLMC_MODELS_RATECONTROL_SEARCH_UTIL_H_
