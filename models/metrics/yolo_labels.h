#ifndef VLMC_MODELS_METRICS_YOLO_LABELS_H_
#define VLMC_MODELS_METRICS_YOLO_LABELS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "models/semantic/detection.h"

namespace vlmc::metrics {

// Parses YOLO-format labels for a width x height image: one object per line,
// "class cx cy w h", the box centre and size normalised to [0, 1] by the image
// width and height. Returns the boxes in pixels (clamped to the image) with
// score 1. Blank lines are skipped; an empty text means no objects.
// INVALID_ARGUMENT naming the 1-based line for a wrong field count, a class
// that is not a non-negative integer, a coordinate that is not a number in
// [0, 1], or a zero width or height.
absl::StatusOr<std::vector<semantic::Detection>> ParseYoloLabels(
    absl::string_view text, int width, int height);

// What a missing label file means: an error (the default: a typo in a path
// must not silently score as "no objects"), or an image without objects (the
// YOLO convention for background images).
enum class MissingLabels { kError, kNoObjects };

// Reads and parses a label file; errors name the path.
absl::StatusOr<std::vector<semantic::Detection>> ReadYoloLabelFile(
    const std::string& path, int width, int height,
    MissingLabels missing = MissingLabels::kError);

}  // namespace vlmc::metrics

#endif  // VLMC_MODELS_METRICS_YOLO_LABELS_H_
