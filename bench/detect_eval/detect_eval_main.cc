// vlmc-detect-eval: COCO-style detection accuracy of a semantic detector on a
// list of images, against YOLO labels, against its own detections on the
// uncompressed image after JPEG recompression (pseudo ground truth), and
// against an independent reference run (e.g. TensorFlow.js).
//
//   vlmc-detect-eval [--model centernet|nanodet] [--jpeg-quality Q]
//       [--reference FILE.json] [--limit N] [--threads N] [--csv FILE]
//       [--tokens] [--missing-labels empty|error]
//
// Paths default to the repository layout; run it from the repository root.

#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/cli_args.h"
#include "bench/detect_eval/eval_report.h"
#include "bench/detect_eval/reference_detections.h"
#include "models/image/image_io.h"
#include "models/image/jpeg_codec.h"
#include "models/metrics/detection_metrics.h"
#include "models/metrics/yolo_labels.h"
#include "models/semantic/detector.h"
#include "models/semantic/preprocess.h"
#include "models/semantic/token_model.h"
#include "models/util/file_io.h"

namespace vlmc::bench {
namespace {

using metrics::ImageDetections;
using semantic::Detection;

constexpr char kUsage[] =
    "usage: vlmc-detect-eval [--model centernet|nanodet] [--model-dir DIR]\n"
    "         [--images DIR] [--labels DIR] [--list FILE] [--limit N]\n"
    "         [--threads N] [--min-score S] [--jpeg-quality Q]\n"
    "         [--reference FILE.json] [--csv FILE] [--tokens]\n"
    "         [--missing-labels empty|error]\n"
    "\n"
    "  --model        detector (default centernet)\n"
    "  --model-dir    model files (default: scripts/fetch-models.sh's cache)\n"
    "  --images       image folder (default ../shared/data/coco/images)\n"
    "  --labels       YOLO label folder, <stem>.txt per image\n"
    "                 (default ../shared/data/coco/labels)\n"
    "  --list         image names, one per line\n"
    "                 (default models/train/coco_eval_holdout.txt)\n"
    "  --limit        evaluate only the first N listed images\n"
    "  --threads      LibTorch CPU threads (default 0: LibTorch's choice)\n"
    "  --min-score    lowest detection score kept for the mAP (default 0.05)\n"
    "  --jpeg-quality also recompress every image with libjpeg at these\n"
    "                 qualities (Q or Q1,Q2,..., each 1..100) and score those\n"
    "                 detections against the labels and against pseudo\n"
    "                 ground truth (detections on the original with score\n"
    "                 >= 0.3)\n"
    "  --reference    JSON of reference detections; scores ours on the\n"
    "                 originals against its detections with score >= 0.3\n"
    "  --csv          also write the table as CSV to this file\n"
    "  --missing-labels empty|error: an image without a label file has no\n"
    "                 objects (default; YOLO's convention: coco128 has two\n"
    "                 such background images) or is an error\n"
    "  --tokens       also time token extraction (TokenModel, stride 16) and\n"
    "                 detection on the first image resized to 512x512\n";

struct Options {
  semantic::DetectorKind kind = semantic::DetectorKind::kCenterNet;
  std::string model_dir;
  std::string images = "../shared/data/coco/images";
  std::string labels = "../shared/data/coco/labels";
  std::string list = "models/train/coco_eval_holdout.txt";
  int limit = 0;
  int threads = 0;
  float min_score = 0.05f;
  std::vector<int> jpeg_qualities;  // empty: no recompression
  std::string reference;
  std::string csv;
  bool tokens = false;
  metrics::MissingLabels missing_labels = metrics::MissingLabels::kNoObjects;
};

absl::StatusOr<int> ParseNonNegative(const std::string& text,
                                     absl::string_view flag) {
  int v = 0;
  if (!absl::SimpleAtoi(text, &v) || v < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": '", text, "' is not a count >= 0"));
  }
  return v;
}

absl::StatusOr<Options> ParseOptions(int argc, char** argv) {
  // --tokens takes no value; ParseFlags wants one for every flag.
  std::vector<const char*> args;
  bool tokens = false;
  for (int i = 0; i < argc; ++i) {
    if (i > 0 && std::string(argv[i]) == "--tokens") {
      tokens = true;
    } else {
      args.push_back(argv[i]);
    }
  }
  absl::StatusOr<std::map<std::string, std::string>> flags = ParseFlags(
      static_cast<int>(args.size()), args.data(),
      {"model", "model-dir", "images", "labels", "list", "limit", "threads",
       "min-score", "jpeg-quality", "reference", "csv", "missing-labels"});
  if (!flags.ok()) return flags.status();
  Options o;
  o.tokens = tokens;
  o.model_dir = semantic::DefaultSemanticModelDir();
  for (const auto& [name, value] : *flags) {
    if (name == "model") {
      absl::StatusOr<semantic::DetectorKind> kind =
          semantic::ParseDetectorKind(value);
      if (!kind.ok()) return kind.status();
      o.kind = *kind;
    } else if (name == "model-dir") {
      o.model_dir = value;
    } else if (name == "images") {
      o.images = value;
    } else if (name == "labels") {
      o.labels = value;
    } else if (name == "list") {
      o.list = value;
    } else if (name == "limit" || name == "threads") {
      absl::StatusOr<int> v = ParseNonNegative(value, name);
      if (!v.ok()) return v.status();
      (name == "limit" ? o.limit : o.threads) = *v;
    } else if (name == "min-score") {
      if (!absl::SimpleAtof(value, &o.min_score) || !(o.min_score >= 0) ||
          o.min_score > 1) {
        return absl::InvalidArgumentError(
            absl::StrCat("--min-score: '", value, "' is not in [0, 1]"));
      }
    } else if (name == "jpeg-quality") {
      absl::StatusOr<std::vector<int>> qualities =
          ParseIntList(value, "--jpeg-quality");
      if (!qualities.ok()) return qualities.status();
      for (int q : *qualities) {
        if (q < 1 || q > 100) {
          return absl::InvalidArgumentError(
              absl::StrCat("--jpeg-quality: ", q, " is not in 1..100"));
        }
      }
      o.jpeg_qualities = *qualities;
    } else if (name == "reference") {
      o.reference = value;
    } else if (name == "csv") {
      o.csv = value;
    } else if (name == "missing-labels") {
      if (value != "empty" && value != "error") {
        return absl::InvalidArgumentError(absl::StrCat(
            "--missing-labels: '", value, "' is not empty or error"));
      }
      o.missing_labels = value == "empty" ? metrics::MissingLabels::kNoObjects
                                          : metrics::MissingLabels::kError;
    }
  }
  return o;
}

double Milliseconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// `image` stretched to size x size with the detectors' own bilinear resize.
image::Image Resize(const image::Image& img, int size) {
  const torch::Tensor y =
      semantic::ResizeToInput(semantic::ImageToTensor(img, torch::kCPU), size,
                              size, /*keep_ratio=*/false, 0.0f, nullptr)
          .round()
          .clamp(0, 255)
          .to(torch::kUInt8)
          .permute({0, 2, 3, 1})
          .contiguous();
  image::Image out;
  out.width = out.height = size;
  out.rgb.assign(y.data_ptr<uint8_t>(), y.data_ptr<uint8_t>() + y.numel());
  return out;
}

// Token extraction and detection for one 512x512 image: the per-image cost
// of the semantic side of training and evaluation. Inference only (no
// autograd), one warm-up run, then the mean of kRuns.
absl::Status TimeTokens(const Options& o, const image::Image& first,
                        semantic::Detector& detector) {
  constexpr int kSize = 512, kRuns = 5;
  semantic::TokenModelOptions options;
  options.model_dir = o.model_dir;
  absl::StatusOr<std::unique_ptr<semantic::TokenModel>> tokens =
      semantic::TokenModel::Load(options);
  if (!tokens.ok()) return tokens.status();
  const image::Image img = Resize(first, kSize);
  const torch::Tensor x = torch::from_blob(const_cast<uint8_t*>(img.rgb.data()),
                                           {1, kSize, kSize, 3}, torch::kUInt8)
                              .permute({0, 3, 1, 2})
                              .to(torch::kFloat)
                              .div(255.0);
  torch::NoGradGuard no_grad;
  double token_ms = 0, detect_ms = 0;
  std::vector<int64_t> shape;
  for (int run = 0; run <= kRuns; ++run) {
    auto start = std::chrono::steady_clock::now();
    absl::StatusOr<torch::Tensor> t = (*tokens)->Tokens(x);
    if (!t.ok()) return t.status();
    const double t_ms = Milliseconds(std::chrono::steady_clock::now() - start);
    start = std::chrono::steady_clock::now();
    absl::StatusOr<std::vector<Detection>> dets =
        detector.Detect(img, o.min_score);
    if (!dets.ok()) return dets.status();
    const double d_ms = Milliseconds(std::chrono::steady_clock::now() - start);
    if (run == 0) {
      shape = t->sizes().vec();
      continue;
    }
    token_ms += t_ms;
    detect_ms += d_ms;
  }
  std::printf(
      "512x512 image (mean of %d runs after a warm-up, no autograd): tokens "
      "%.1f ms [%lld, %lld, %lld] (stride %d), %s detection %.1f ms, "
      "total %.1f ms\n",
      kRuns, token_ms / kRuns, static_cast<long long>(shape[0]),
      static_cast<long long>(shape[1]), static_cast<long long>(shape[2]),
      (*tokens)->strides().front(), semantic::DetectorName(detector.kind()),
      detect_ms / kRuns, (token_ms + detect_ms) / kRuns);
  return absl::OkStatus();
}

absl::Status Run(const Options& o) {
  if (o.threads > 0) torch::set_num_threads(o.threads);
  absl::StatusOr<std::vector<std::string>> names = ReadImageList(o.list);
  if (!names.ok()) return names.status();
  if (o.limit > 0 && static_cast<size_t>(o.limit) < names->size()) {
    names->resize(o.limit);
  }
  ReferenceDetections reference;
  if (!o.reference.empty()) {
    absl::StatusOr<ReferenceDetections> parsed =
        ReadReferenceDetections(o.reference);
    if (!parsed.ok()) return parsed.status();
    reference = std::move(*parsed);
  }
  absl::StatusOr<std::unique_ptr<semantic::Detector>> detector =
      semantic::Detector::Load(o.kind, o.model_dir);
  if (!detector.ok()) return detector.status();
  const std::string model = semantic::DetectorName(o.kind);

  std::vector<ImageDetections> vs_labels, vs_reference;
  struct JpegEval {
    int quality;
    std::vector<ImageDetections> vs_labels, vs_pseudo;
    double bits = 0;
  };
  std::vector<JpegEval> jpeg;
  for (int q : o.jpeg_qualities) jpeg.push_back({q});
  std::vector<std::string> missing_in_reference;
  image::Image first_image;
  double detect_ms = 0, pixels = 0;
  int unlabelled = 0;
  const int n = static_cast<int>(names->size());
  for (int i = 0; i < n; ++i) {
    const std::string& name = (*names)[i];
    absl::StatusOr<image::Image> img =
        image::ReadImageFile((std::filesystem::path(o.images) / name).string());
    if (!img.ok()) return img.status();
    const std::string label_path =
        (std::filesystem::path(o.labels) /
         std::filesystem::path(name).replace_extension(".txt"))
            .string();
    if (!std::filesystem::exists(label_path)) ++unlabelled;
    absl::StatusOr<std::vector<Detection>> labels = metrics::ReadYoloLabelFile(
        label_path, img->width, img->height, o.missing_labels);
    if (!labels.ok()) return labels.status();
    if (i == 0) first_image = *img;

    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<std::vector<Detection>> dets =
        (*detector)->Detect(*img, o.min_score);
    const double ms = Milliseconds(std::chrono::steady_clock::now() - start);
    if (!dets.ok()) return dets.status();
    detect_ms += ms;
    vs_labels.push_back({*labels, *dets});
    std::string progress =
        absl::StrFormat("[%d/%d] %s %dx%d: %d detections, %.1f ms", i + 1, n,
                        name, img->width, img->height, dets->size(), ms);

    pixels += double(img->width) * img->height;
    for (JpegEval& e : jpeg) {
      absl::StatusOr<std::string> bytes = image::EncodeJpeg(*img, e.quality);
      if (!bytes.ok()) return bytes.status();
      absl::StatusOr<image::Image> decoded = image::DecodeJpeg(*bytes);
      if (!decoded.ok()) return decoded.status();
      absl::StatusOr<std::vector<Detection>> jpeg_dets =
          (*detector)->Detect(*decoded, o.min_score);
      if (!jpeg_dets.ok()) return jpeg_dets.status();
      e.bits += 8.0 * bytes->size();
      e.vs_labels.push_back({*labels, *jpeg_dets});
      e.vs_pseudo.push_back({metrics::PseudoGroundTruth(*dets), *jpeg_dets});
      absl::StrAppendFormat(
          &progress, "; q%d %.2f bpp: %d detections", e.quality,
          8.0 * bytes->size() / (img->width * img->height), jpeg_dets->size());
    }
    if (!o.reference.empty()) {
      const auto it = reference.find(name);
      if (it == reference.end()) {
        missing_in_reference.push_back(name);
      } else {
        vs_reference.push_back({metrics::PseudoGroundTruth(it->second), *dets});
      }
    }
    std::fprintf(stderr, "%s\n", progress.c_str());
  }

  std::vector<EvalRow> rows;
  auto add = [&rows](std::string row_name,
                     const std::vector<ImageDetections>& images) {
    rows.push_back({std::move(row_name), static_cast<int>(images.size()),
                    metrics::EvaluateDetections(images)});
  };
  add("original vs labels", vs_labels);
  for (const JpegEval& e : jpeg) {
    const std::string q = absl::StrCat("jpeg q", e.quality);
    add(q + " vs labels", e.vs_labels);
    add(q + " vs pseudo-GT (original, score>=0.3)", e.vs_pseudo);
  }
  if (!o.reference.empty()) {
    add("original vs reference (score>=0.3)", vs_reference);
    if (!missing_in_reference.empty()) {
      std::fprintf(stderr,
                   "warning: %zu image(s) not in %s (first: %s); the "
                   "reference row leaves them out\n",
                   missing_in_reference.size(), o.reference.c_str(),
                   missing_in_reference[0].c_str());
    }
  }

  std::printf(
      "# vlmc-detect-eval: model %s, %d images from %s, detections "
      "with score >= %.2f, threads %d\n",
      model.c_str(), n, o.list.c_str(), o.min_score,
      o.threads > 0 ? o.threads : torch::get_num_threads());
  if (unlabelled > 0) {
    std::printf(
        "# %d image(s) without a label file count as having no "
        "objects\n",
        unlabelled);
  }
  std::printf("%s", FormatEvalTable(rows).c_str());
  std::printf("mean detection time: %.1f ms/image (original images)\n",
              detect_ms / n);
  for (const JpegEval& e : jpeg) {
    std::printf("jpeg q%d: %.3f bpp over all images\n", e.quality,
                e.bits / pixels);
  }
  if (o.tokens) {
    absl::Status timed = TimeTokens(o, first_image, **detector);
    if (!timed.ok()) return timed;
  }
  if (!o.csv.empty()) {
    absl::Status written =
        util::WriteFileAtomically(o.csv, FormatEvalCsv(model, rows));
    if (!written.ok()) return written;
  }
  return absl::OkStatus();
}

}  // namespace
}  // namespace vlmc::bench

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(vlmc::bench::kUsage, stdout);
      return 0;
    }
  }
  absl::StatusOr<vlmc::bench::Options> options =
      vlmc::bench::ParseOptions(argc, argv);
  if (!options.ok()) {
    std::fprintf(stderr, "vlmc-detect-eval: %s\n%s",
                 std::string(options.status().message()).c_str(),
                 vlmc::bench::kUsage);
    return 2;
  }
  const absl::Status status = vlmc::bench::Run(*options);
  if (!status.ok()) {
    std::fprintf(stderr, "vlmc-detect-eval: %s\n",
                 std::string(status.message()).c_str());
    return 1;
  }
  return 0;
}
