#include "bench/detect_eval/reference_detections.h"

#include <cmath>
#include <filesystem>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "models/util/file_io.h"
#include "nlohmann/json.hpp"

namespace vlmc::bench {
namespace {

using nlohmann::json;

absl::Status EntryError(size_t index, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("reference detections entry ", index, ": ", what));
}

absl::StatusOr<semantic::Detection> ParseDetection(const json& j) {
  if (!j.is_object()) return absl::InvalidArgumentError("not an object");
  semantic::Detection d;
  const auto class_id = j.find("class_id");
  if (class_id == j.end() || !class_id->is_number_integer() ||
      class_id->get<int64_t>() < 0) {
    return absl::InvalidArgumentError(
        "\"class_id\" missing or not a non-negative integer");
  }
  d.class_id = class_id->get<int>();
  const auto score = j.find("score");
  if (score == j.end() || !score->is_number() ||
      !std::isfinite(score->get<double>())) {
    return absl::InvalidArgumentError("\"score\" missing or not a number");
  }
  d.score = score->get<float>();
  const auto box = j.find("box");
  if (box == j.end() || !box->is_array() || box->size() != 4) {
    return absl::InvalidArgumentError("\"box\" is not [x0, y0, x1, y1]");
  }
  float v[4];
  for (int i = 0; i < 4; ++i) {
    const json& x = (*box)[i];
    if (!x.is_number() || !std::isfinite(x.get<double>())) {
      return absl::InvalidArgumentError("\"box\" holds a non-number");
    }
    v[i] = x.get<float>();
  }
  if (v[0] > v[2] || v[1] > v[3]) {
    return absl::InvalidArgumentError("\"box\" has x0 > x1 or y0 > y1");
  }
  d.x0 = v[0];
  d.y0 = v[1];
  d.x1 = v[2];
  d.y1 = v[3];
  return d;
}

}  // namespace

absl::StatusOr<ReferenceDetections> ParseReferenceDetections(
    absl::string_view text) {
  const json root = json::parse(text.begin(), text.end(), nullptr,
                                /*allow_exceptions=*/false);
  if (root.is_discarded()) {
    return absl::InvalidArgumentError("reference detections: invalid JSON");
  }
  if (!root.is_array()) {
    return absl::InvalidArgumentError(
        "reference detections: expected a JSON array of images");
  }
  ReferenceDetections out;
  for (size_t i = 0; i < root.size(); ++i) {
    const json& entry = root[i];
    if (!entry.is_object()) return EntryError(i, "not an object");
    const auto image = entry.find("image");
    if (image == entry.end() || !image->is_string()) {
      return EntryError(i, "\"image\" missing or not a string");
    }
    const std::string name =
        std::filesystem::path(image->get<std::string>()).filename().string();
    const auto dets = entry.find("detections");
    if (dets == entry.end() || !dets->is_array()) {
      return EntryError(i, absl::StrCat(name,
                                        ": \"detections\" missing or "
                                        "not an array"));
    }
    std::vector<semantic::Detection> parsed;
    for (size_t k = 0; k < dets->size(); ++k) {
      absl::StatusOr<semantic::Detection> d = ParseDetection((*dets)[k]);
      if (!d.ok()) {
        return EntryError(i, absl::StrCat(name, " detection ", k, ": ",
                                          d.status().message()));
      }
      parsed.push_back(*d);
    }
    if (!out.emplace(name, std::move(parsed)).second) {
      return EntryError(i, absl::StrCat(name, " is listed twice"));
    }
  }
  return out;
}

absl::StatusOr<ReferenceDetections> ReadReferenceDetections(
    const std::string& path) {
  absl::StatusOr<std::string> text = util::ReadFile(path, 256 << 20);
  if (!text.ok()) return text.status();
  absl::StatusOr<ReferenceDetections> parsed = ParseReferenceDetections(*text);
  if (!parsed.ok()) {
    return absl::Status(parsed.status().code(),
                        absl::StrCat(path, ": ", parsed.status().message()));
  }
  return parsed;
}

}  // namespace vlmc::bench
