#include "models/metrics/yolo_labels.h"

#include <algorithm>
#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "models/util/file_io.h"

namespace vlmc::metrics {
namespace {

absl::Status LineError(int line, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("YOLO labels line ", line, ": ", what));
}

}  // namespace

absl::StatusOr<std::vector<semantic::Detection>> ParseYoloLabels(
    absl::string_view text, int width, int height) {
  if (width <= 0 || height <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "YOLO labels need a positive image size, got ", width, "x", height));
  }
  std::vector<semantic::Detection> boxes;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    const std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t\r"), absl::SkipEmpty());
    if (fields.empty()) continue;
    if (fields.size() != 5) {
      return LineError(line_number,
                       absl::StrCat("expected 5 fields \"class cx cy w h\", "
                                    "got ",
                                    fields.size()));
    }
    int class_id = 0;
    if (!absl::SimpleAtoi(fields[0], &class_id) || class_id < 0) {
      return LineError(line_number,
                       absl::StrCat("class \"", fields[0],
                                    "\" is not a non-negative integer"));
    }
    double v[4];
    static constexpr const char* kNames[4] = {"cx", "cy", "w", "h"};
    for (int i = 0; i < 4; ++i) {
      if (!absl::SimpleAtod(fields[i + 1], &v[i]) || !std::isfinite(v[i]) ||
          v[i] < 0.0 || v[i] > 1.0) {
        return LineError(line_number,
                         absl::StrCat(kNames[i], " \"", fields[i + 1],
                                      "\" is not a number in [0, 1]"));
      }
    }
    if (v[2] == 0.0 || v[3] == 0.0) {
      return LineError(line_number, "box has zero width or height");
    }
    // Rounding in the normalised values can put an edge a hair outside the
    // image; clamping keeps the box where the annotator drew it.
    auto clamp = [](double x, int size) {
      return static_cast<float>(std::clamp(x * size, 0.0, double(size)));
    };
    semantic::Detection box;
    box.class_id = class_id;
    box.score = 1.0f;
    box.x0 = clamp(v[0] - v[2] / 2, width);
    box.y0 = clamp(v[1] - v[3] / 2, height);
    box.x1 = clamp(v[0] + v[2] / 2, width);
    box.y1 = clamp(v[1] + v[3] / 2, height);
    boxes.push_back(box);
  }
  return boxes;
}

absl::StatusOr<std::vector<semantic::Detection>> ReadYoloLabelFile(
    const std::string& path, int width, int height, MissingLabels missing) {
  absl::StatusOr<std::string> text = util::ReadFile(path, 64 << 20);
  if (absl::IsNotFound(text.status()) && missing == MissingLabels::kNoObjects) {
    return std::vector<semantic::Detection>{};
  }
  if (!text.ok()) return text.status();
  absl::StatusOr<std::vector<semantic::Detection>> boxes =
      ParseYoloLabels(*text, width, height);
  if (!boxes.ok()) {
    return absl::Status(boxes.status().code(),
                        absl::StrCat(path, ": ", boxes.status().message()));
  }
  return boxes;
}

}  // namespace vlmc::metrics
