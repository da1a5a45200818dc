#ifndef VLMC_MODELS_RATECONTROL_SEARCH_UTIL_H_
#define VLMC_MODELS_RATECONTROL_SEARCH_UTIL_H_

// Helpers shared by the rate and task searches (internal to ratecontrol).

#include <cstddef>
#include <functional>

#include "absl/status/status.h"
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

}  // namespace vlmc::ratecontrol

#endif  // VLMC_MODELS_RATECONTROL_SEARCH_UTIL_H_
