#include "client/encode_target.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace vlmc::cli {

std::vector<Flags::Spec> EncodeTargetFlags() {
  return {
      {"q", "",
       "quality in [0, 1]: 0 fewest bits, 1 best fidelity (0.5 when no "
       "other target is given)"},
      {"bpp", "",
       "rate target: the highest quality whose stream has at most this many "
       "bits per pixel (a bisection on quality)"},
      {"max-bytes", "",
       "rate target: the highest quality whose whole stream fits in this "
       "many bytes"},
      {"task", "",
       "task target: detect (CenterNet detection agreement, mAP@0.5 against "
       "the original's detections) or tokens (mean cosine of the semantic "
       "tokens); the lowest quality that keeps --fidelity"},
      {"fidelity", "0.9", "with --task: the fidelity to keep, in (0, 1]"},
      {"max-passes", "8",
       "with --task: encode+decode+measure passes the search may spend "
       "(2 to 32)"},
  };
}

namespace {

absl::StatusOr<double> PositiveNumber(const Flags& flags,
                                      const std::string& name) {
  absl::StatusOr<double> value = flags.GetDouble(name);
  if (!value.ok()) return value.status();
  if (!(std::isfinite(*value) && *value > 0.0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", name, " must be a positive number"));
  }
  return *value;
}

// " at 1/N resolution" for streams coded smaller, else nothing.
std::string DownscaleNote(int downscale) {
  return downscale > 1 ? absl::StrCat(" at 1/", downscale, " resolution") : "";
}

}  // namespace

absl::StatusOr<EncodeTarget> ParseEncodeTarget(const Flags& flags) {
  int given = 0;
  for (const char* name : {"q", "bpp", "max-bytes", "task"})
    given += flags.Get(name).empty() ? 0 : 1;
  if (given > 1) {
    return absl::InvalidArgumentError(
        "give one of -q, --bpp, --max-bytes and --task");
  }
  EncodeTarget target;
  if (flags.Get("task").empty()) {
    // The task search's own flags mean nothing elsewhere; say so rather
    // than ignore them.
    for (const char* name : {"fidelity", "max-passes"}) {
      for (const Flags::Spec& spec : EncodeTargetFlags()) {
        if (spec.name == name && flags.Get(name) != spec.default_value) {
          return absl::InvalidArgumentError(
              absl::StrCat("--", name, " needs --task"));
        }
      }
    }
  }
  if (!flags.Get("bpp").empty()) {
    absl::StatusOr<double> bpp = PositiveNumber(flags, "bpp");
    if (!bpp.ok()) return bpp.status();
    target.kind = EncodeTarget::Kind::kTargetBpp;
    target.value = *bpp;
  } else if (!flags.Get("max-bytes").empty()) {
    absl::StatusOr<int64_t> bytes = flags.GetInt("max-bytes");
    if (!bytes.ok()) return bytes.status();
    if (*bytes < 1)
      return absl::InvalidArgumentError("--max-bytes must be at least 1");
    target.kind = EncodeTarget::Kind::kMaxBytes;
    target.value = static_cast<double>(*bytes);
  } else if (!flags.Get("task").empty()) {
    const std::string& task = flags.Get("task");
    if (task != "detect" && task != "tokens") {
      return absl::InvalidArgumentError(
          absl::StrCat("--task must be detect or tokens, got '", task, "'"));
    }
    absl::StatusOr<double> fidelity = flags.GetDouble("fidelity");
    if (!fidelity.ok()) return fidelity.status();
    if (!(*fidelity > 0.0 && *fidelity <= 1.0))
      return absl::InvalidArgumentError("--fidelity must be in (0, 1]");
    absl::StatusOr<int64_t> passes = flags.GetInt("max-passes");
    if (!passes.ok()) return passes.status();
    if (*passes < 2 || *passes > 32)
      return absl::InvalidArgumentError("--max-passes must be in [2, 32]");
    target.kind = EncodeTarget::Kind::kTask;
    target.value = *fidelity;
    target.detection = task == "detect";
    target.max_passes = static_cast<int>(*passes);
  } else if (!flags.Get("q").empty()) {
    absl::StatusOr<double> quality = flags.GetDouble("q");
    if (!quality.ok()) return quality.status();
    if (!(*quality >= 0.0 && *quality <= 1.0))
      return absl::InvalidArgumentError("-q must be in [0, 1]");
    target.value = *quality;
  }
  return target;
}

std::string DescribeTarget(const EncodeTarget& target) {
  switch (target.kind) {
    case EncodeTarget::Kind::kTargetBpp:
      return absl::StrCat("bpp <= ", target.value);
    case EncodeTarget::Kind::kMaxBytes:
      return absl::StrCat("bytes <= ", static_cast<int64_t>(target.value));
    case EncodeTarget::Kind::kTask:
      return absl::StrCat(
          target.detection ? "detection agreement" : "token cosine",
          " >= ", target.value);
    case EncodeTarget::Kind::kQuality:
      break;
  }
  return "";
}

absl::Status CheckTargetMet(const EncodeTarget& target,
                            const EncodeOutcome& outcome) {
  if (outcome.target_met) return absl::OkStatus();
  std::string reached;
  if (target.kind == EncodeTarget::Kind::kTask) {
    reached = absl::StrFormat("quality %.3f reaches %.4f", outcome.quality,
                              outcome.fidelity);
  } else {
    reached = absl::StrFormat(
        "the smallest stream is %zu bytes, %.4f bpp (quality %.3f%s)",
        outcome.stream.size(), outcome.bpp(), outcome.quality,
        DownscaleNote(outcome.downscale));
  }
  return absl::FailedPreconditionError(
      absl::StrCat("target ", DescribeTarget(target), " not met: ", reached,
                   " after ", outcome.passes, " passes; nothing written"));
}

void PrintEncodeReport(std::FILE* to, const std::string& output_path,
                       const EncodeTarget& target, const EncodeOutcome& outcome,
                       const std::string& timing) {
  std::fprintf(to, "%s: %dx%d, quality %.3f%s -> %zu bytes, %.4f bpp, %s\n",
               output_path.c_str(), outcome.width, outcome.height,
               outcome.quality, DownscaleNote(outcome.downscale).c_str(),
               outcome.stream.size(), outcome.bpp(), timing.c_str());
  if (target.kind == EncodeTarget::Kind::kQuality) return;
  std::fprintf(to, "target %s: target_met %s, passes %d, quality %.3f",
               DescribeTarget(target).c_str(),
               outcome.target_met ? "yes" : "no", outcome.passes,
               outcome.quality);
  if (target.kind == EncodeTarget::Kind::kTask)
    std::fprintf(to, ", fidelity %.4f", outcome.fidelity);
  std::fprintf(to, "\n");
}

}  // namespace vlmc::cli
