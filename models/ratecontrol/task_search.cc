#include "models/ratecontrol/task_search.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "models/ratecontrol/search_util.h"

namespace vlmc::ratecontrol {

absl::StatusOr<TaskEncodedImage> EncodeForTask(
    const codec::Codec& codec, const image::Image& image, FidelityProbe& probe,
    const TaskSearchOptions& options) {
  if (!(options.min_fidelity > 0.0 && options.min_fidelity <= 1.0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "min_fidelity ", options.min_fidelity, " is outside (0, 1]"));
  }
  if (options.max_passes < 2) {
    return absl::InvalidArgumentError(absl::StrCat(
        "max_passes ", options.max_passes, " must be >= 2 for a task search"));
  }
  if (absl::Status s = image::ValidateImage(image); !s.ok()) return s;

  // The analysis transform runs in the first pass only.
  std::optional<codec::AnalyzedImage> analyzed;
  int passes = 0;
  // One pass: encode at `quality`, decode, score the reconstruction.
  auto encode = [&](double quality) -> absl::StatusOr<TaskEncodedImage> {
    if (absl::Status s = CheckNotStopped(options.should_stop, passes);
        !s.ok()) {
      return s;
    }
    ++passes;
    if (!analyzed) {
      absl::StatusOr<codec::AnalyzedImage> made = codec.Analyze(image);
      if (!made.ok()) return made.status();
      analyzed = *std::move(made);
    }
    absl::StatusOr<std::string> stream =
        codec.CompressAnalyzed(*analyzed, quality);
    if (!stream.ok()) return stream.status();
    absl::StatusOr<image::Image> decoded = codec.Decompress(*stream);
    if (!decoded.ok()) return decoded.status();
    absl::StatusOr<double> fidelity = probe.Measure(*decoded);
    if (!fidelity.ok()) return fidelity.status();
    TaskEncodedImage out;
    out.bpp = BitsPerPixel(stream->size(), image);
    out.stream = *std::move(stream);
    out.quality = quality;
    out.fidelity = *fidelity;
    out.target_met = *fidelity >= options.min_fidelity;
    out.passes = passes;
    return out;
  };

  absl::StatusOr<TaskEncodedImage> best = encode(0.0);
  if (!best.ok() || best->target_met) return best;
  best = encode(1.0);
  if (!best.ok() || !best->target_met) return best;
  absl::StatusOr<TaskEncodedImage> found = BisectQuality<TaskEncodedImage>(
      /*meeting=*/1.0, /*missing=*/0.0, *std::move(best), passes,
      options.max_passes, encode,
      [](const TaskEncodedImage& trial) { return trial.target_met; });
  if (found.ok()) found->passes = passes;
  return found;
}

}  // namespace vlmc::ratecontrol
