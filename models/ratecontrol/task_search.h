#ifndef VLMC_MODELS_RATECONTROL_TASK_SEARCH_H_
#define VLMC_MODELS_RATECONTROL_TASK_SEARCH_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "models/codec/codec.h"
#include "models/image/image.h"
#include "models/ratecontrol/task_fidelity.h"

namespace vlmc::ratecontrol {

struct TaskSearchOptions {
  double min_fidelity = 0.9;  // in (0, 1]
  int max_passes = 8;         // encode+decode+measure passes (>= 2)
  // Polled before each pass; true aborts with CANCELLED.
  std::function<bool()> should_stop;
};

struct TaskEncodedImage {
  std::string stream;
  double quality = 0.0;
  double bpp = 0.0;
  double fidelity = 0.0;  // measured on the returned stream's decode
  bool target_met =
      false;  // false: even quality 1 misses; its stream is returned
  int passes = 0;
};

// Finds the smallest stream whose reconstruction scores >= min_fidelity on
// `probe`, assuming fidelity grows with quality: quality 0 first (meets:
// done, 1 pass), then quality 1 (misses: return it, target_met = false),
// then bisection on quality for the remaining passes, keeping the
// lowest-quality stream that met the target. Each pass costs one Compress
// (the analysis transform only in the first: Codec::Analyze), one Decompress
// and one probe measurement.
absl::StatusOr<TaskEncodedImage> EncodeForTask(
    const codec::Codec& codec, const image::Image& image, FidelityProbe& probe,
    const TaskSearchOptions& options);

}  // namespace vlmc::ratecontrol

#endif  // VLMC_MODELS_RATECONTROL_TASK_SEARCH_H_
