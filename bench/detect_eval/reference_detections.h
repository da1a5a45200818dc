#ifndef VLMC_BENCH_DETECT_EVAL_REFERENCE_DETECTIONS_H_
#define VLMC_BENCH_DETECT_EVAL_REFERENCE_DETECTIONS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "models/semantic/detection.h"

namespace vlmc::bench {

// Detections of an independent run (e.g. TensorFlow.js), keyed by image file
// name (any directory part of "image" dropped).
using ReferenceDetections =
    std::map<std::string, std::vector<semantic::Detection>>;

// Parses a JSON array of
//   {"image": "000000000009.jpg",
//    "detections": [{"class_id": 45, "score": 0.53, "box": [x0, y0, x1, y1]}]}
// (other keys ignored; boxes in the original image's pixels).
// INVALID_ARGUMENT naming the entry for malformed JSON, a missing or mistyped
// field, a box that is not 4 finite numbers with x0 <= x1 and y0 <= y1, or an
// image listed twice.
absl::StatusOr<ReferenceDetections> ParseReferenceDetections(
    absl::string_view json);

// Reads and parses a file; errors name the path.
absl::StatusOr<ReferenceDetections> ReadReferenceDetections(
    const std::string& path);

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_DETECT_EVAL_REFERENCE_DETECTIONS_H_
