#include "bench/rate_accuracy/ladders.h"

#include <algorithm>
#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "bench/baseline_codecs.h"

namespace vlmc::bench {

std::vector<std::string> KnownRateCodecs() {
  std::vector<std::string> names = {kVlmcCodec};
  for (BaselineCodec codec : kAllBaselineCodecs) {
    names.emplace_back(BaselineCodecName(codec));
  }
  return names;
}

absl::StatusOr<std::vector<std::string>> ParseCodecList(
    absl::string_view text) {
  const std::vector<std::string> known = KnownRateCodecs();
  std::vector<std::string> codecs;
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    const std::string name(absl::StripAsciiWhitespace(part));
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--codecs: unknown codec '", name, "' (want ",
                       absl::StrJoin(known, ", "), ")"));
    }
    if (std::find(codecs.begin(), codecs.end(), name) != codecs.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--codecs: '", name, "' is listed twice"));
    }
    codecs.push_back(name);
  }
  return codecs;
}

// Mean bpp on the first 24 held-out COCO images (bench/results/
// rate_accuracy): vlmc 0.28-1.26, jpeg 0.13-1.25, webp 0.16-1.41, avif
// 0.11-1.12, jxl 0.20-1.27 (cjxl goes no lower), hevc 0.10-1.23.
std::string DefaultLadder(absl::string_view codec) {
  if (codec == kVlmcCodec) return "0,0.2,0.4,0.6,0.8,1";
  if (codec == "jpeg") return "3,6,10,18,32,55";
  if (codec == "webp") return "0,3,8,20,40,70";
  if (codec == "avif") return "60,56,50,44,38,32";
  if (codec == "jxl") return "5,10,20,40,60,75";
  if (codec == "hevc") return "46,42,38,34,31,28";
  return "";
}

std::string LadderMeaning(absl::string_view codec) {
  if (codec == kVlmcCodec) return "quality in [0, 1] (1 = most bits)";
  absl::StatusOr<BaselineCodec> baseline = ParseBaselineCodec(codec);
  if (!baseline.ok()) return "";
  const QualityScale scale = BaselineQualityScale(*baseline);
  return absl::StrFormat("%d..%d, %s", scale.min, scale.max, scale.meaning);
}

absl::StatusOr<std::vector<double>> ParseLadder(absl::string_view codec,
                                                absl::string_view text) {
  const bool vlmc = codec == kVlmcCodec;
  QualityScale scale;
  if (!vlmc) {
    absl::StatusOr<BaselineCodec> baseline = ParseBaselineCodec(codec);
    if (!baseline.ok()) return baseline.status();
    scale = BaselineQualityScale(*baseline);
  }
  std::vector<double> points;
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    part = absl::StripAsciiWhitespace(part);
    double value = 0;
    bool ok = absl::SimpleAtod(part, &value);
    if (vlmc) {
      ok = ok && value >= 0 && value <= 1;
    } else {
      ok = ok && value == std::floor(value) && value >= scale.min &&
           value <= scale.max;
    }
    if (!ok) {
      return absl::InvalidArgumentError(absl::StrCat(
          codec, " ladder: '", part, "' is not ",
          vlmc ? "a quality in [0, 1]"
               : absl::StrCat("an integer in ", scale.min, "..", scale.max),
          " (", LadderMeaning(codec), ")"));
    }
    if (std::find(points.begin(), points.end(), value) != points.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat(codec, " ladder: ", part, " is listed twice"));
    }
    points.push_back(value);
  }
  return points;
}

std::string FormatPoint(double point) { return absl::StrFormat("%g", point); }

}  // namespace vlmc::bench
