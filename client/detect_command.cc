// `vlmc detect`: runs a COCO detector (CenterNet or NanoDet) on one image.
#include <algorithm>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/command_util.h"
#include "client/commands.h"
#include "client/remote_commands.h"
#include "models/image/image_io.h"
#include "models/nn/cpu_threads.h"
#include "models/semantic/coco_classes.h"
#include "models/semantic/detector.h"
#include "nlohmann/json.hpp"

namespace vlmc::cli {
namespace {

// Box outlines, 2 px wide, in a colour per class.
image::Image DrawBoxes(image::Image img,
                       const std::vector<semantic::Detection>& dets) {
  for (const semantic::Detection& d : dets) {
    const uint8_t color[3] = {
        static_cast<uint8_t>(64 + (d.class_id * 97) % 192),
        static_cast<uint8_t>(64 + (d.class_id * 57) % 192),
        static_cast<uint8_t>(64 + (d.class_id * 151) % 192)};
    auto px = [&](int x, int y) {
      if (x < 0 || y < 0 || x >= img.width || y >= img.height) return;
      std::copy(color, color + 3,
                &img.rgb[(static_cast<size_t>(y) * img.width + x) * 3]);
    };
    const int x0 = static_cast<int>(d.x0), x1 = static_cast<int>(d.x1);
    const int y0 = static_cast<int>(d.y0), y1 = static_cast<int>(d.y1);
    for (int t = 0; t < 2; ++t) {
      for (int x = x0; x <= x1; ++x) {
        px(x, y0 + t);
        px(x, y1 - t);
      }
      for (int y = y0; y <= y1; ++y) {
        px(x0 + t, y);
        px(x1 - t, y);
      }
    }
  }
  return img;
}

// Loads the detector from `model_dir` and runs it here.
absl::StatusOr<std::vector<semantic::Detection>> DetectHere(
    const std::string& model_dir, semantic::DetectorKind kind,
    const image::Image& img, double threshold) {
  absl::StatusOr<std::unique_ptr<semantic::Detector>> detector =
      semantic::Detector::Load(kind, model_dir);
  if (!detector.ok()) return detector.status();
  return (*detector)->Detect(img, static_cast<float>(threshold));
}

}  // namespace

int RunDetect(const std::vector<std::string>& args) {
  const std::string kCmd = "detect";
  Flags flags;
  int exit_code = 0;
  std::vector<Flags::Spec> specs = ServerFlags(
      "send the image to this LvlmService (HOST:PORT, e.g. vlmc-lvlm-ref), "
      "task detect");
  specs.insert(
      specs.begin(),
      {{"model", "centernet", "detector: centernet or nanodet"},
       {"threshold", "0.3", "minimum score, in [0, 1]"},
       {"json", "", "print one JSON array instead of text", true},
       {"draw", "", "also write the image with boxes drawn to this PNG"},
       {"model-dir", semantic::DefaultSemanticModelDir(),
        "folder with <model>.json and <model>.bin "
        "(scripts/fetch-models.sh), without --server"},
       {"threads", "0",
        "CPU threads, without --server (0: LibTorch's default)"}});
  if (!ParseOrExit(kCmd, "detect IMAGE [flags]", args, specs, &flags,
                   &exit_code)) {
    return exit_code;
  }
  if (flags.positional().size() != 1) {
    return UsageError(
        kCmd, absl::InvalidArgumentError("expected one IMAGE argument"));
  }
  absl::StatusOr<semantic::DetectorKind> kind =
      semantic::ParseDetectorKind(flags.Get("model"));
  if (!kind.ok()) return UsageError(kCmd, kind.status());
  absl::StatusOr<double> threshold = flags.GetDouble("threshold");
  if (!threshold.ok()) return UsageError(kCmd, threshold.status());
  if (*threshold < 0 || *threshold > 1) {
    return UsageError(
        kCmd, absl::InvalidArgumentError("--threshold must be in [0, 1]"));
  }
  absl::StatusOr<int64_t> threads = flags.GetInt("threads");
  if (!threads.ok()) return UsageError(kCmd, threads.status());
  if (*threads > 0) nn::SetCpuThreads(static_cast<int>(*threads));

  const std::string& path = flags.positional()[0];
  absl::StatusOr<image::Image> img;
  absl::StatusOr<std::vector<semantic::Detection>> dets;
  if (flags.Get("server").empty()) {
    img = image::ReadImageFile(path);
    if (!img.ok()) return Fail(kCmd, img.status());
    dets = DetectHere(flags.Get("model-dir"), *kind, *img, *threshold);
  } else {
    absl::StatusOr<DetectFn> remote = RemoteDetector(flags);
    if (!remote.ok()) return UsageError(kCmd, remote.status());
    dets = (*remote)(path);
    // The server decodes the file; --draw needs it here too.
    if (dets.ok() && !flags.Get("draw").empty()) {
      img = image::ReadImageFile(path);
      if (!img.ok()) return Fail(kCmd, img.status());
    }
  }
  if (!dets.ok()) return Fail(kCmd, dets.status());

  if (flags.GetBool("json")) {
    nlohmann::json out = nlohmann::json::array();
    for (const semantic::Detection& d : *dets) {
      out.push_back({{"class", semantic::CocoClassName(d.class_id)},
                     {"class_id", d.class_id},
                     {"score", d.score},
                     {"box", {d.x0, d.y0, d.x1, d.y1}}});
    }
    std::printf("%s\n", out.dump().c_str());
  } else {
    for (const semantic::Detection& d : *dets) {
      std::printf("%-14s %.3f  [%.1f, %.1f, %.1f, %.1f]\n",
                  semantic::CocoClassName(d.class_id), d.score, d.x0, d.y0,
                  d.x1, d.y1);
    }
  }
  if (!flags.Get("draw").empty()) {
    absl::Status written =
        image::WritePngFile(DrawBoxes(*img, *dets), flags.Get("draw"));
    if (!written.ok()) return Fail(kCmd, written);
  }
  return 0;
}

}  // namespace vlmc::cli
