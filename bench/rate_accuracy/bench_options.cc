#include "bench/rate_accuracy/bench_options.h"

#include <algorithm>
#include <cstdint>
#include <tuple>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "bench/rate_accuracy/ladders.h"
#include "client/model_path.h"
#include "models/codec/codec.h"
#include "models/semantic/detector.h"
#include "models/util/cli_flags.h"

namespace vlmc::bench {
namespace {

std::string LadderFlag(const std::string& codec) {
  return absl::StrCat("ladder-", codec);
}

std::vector<cli::Flags::Spec> Specs() {
  std::vector<cli::Flags::Spec> specs = {
      {"images", "../shared/data/coco/images", "image folder"},
      {"labels", "../shared/data/coco/labels",
       "YOLO label folder, <stem>.txt per image (none: no objects)"},
      {"list", "models/train/coco_eval_holdout.txt",
       "image names, one per line (evaluate on held-out images only)"},
      {"limit", "0", "only the first N listed images (0: all)"},
      {"codecs", kDefaultCodecs, "codecs to run, comma-separated"},
  };
  for (const std::string& codec : KnownRateCodecs()) {
    specs.push_back({LadderFlag(codec), DefaultLadder(codec),
                     absl::StrCat(codec, " rate points, lowest rate first: ",
                                  LadderMeaning(codec))});
  }
  const std::vector<cli::Flags::Spec> rest = {
      {"model", cli::DefaultModelPath(), "vlmc model file"},
      {"vlmc-downscale", "1",
       "vlmc's coded resolution: 1, 2, 4 or auto (vlmc encode --downscale)"},
      {"detector-models", semantic::DefaultSemanticModelDir(),
       "CenterNet/NanoDet model folder (scripts/fetch-models.sh)"},
      {"jobs", "1", "images coded and measured in parallel"},
      {"threads", "0", "LibTorch CPU threads per job (0: LibTorch default)"},
      {"out", "bench/results/rate_accuracy",
       "output folder: per_image.csv, summary.csv, uncompressed.csv, "
       "results.md"},
      {"help", "", "print this help", true},
  };
  specs.insert(specs.end(), rest.begin(), rest.end());
  return specs;
}

absl::StatusOr<int> GetCount(const cli::Flags& flags, const std::string& name,
                             int min) {
  absl::StatusOr<int64_t> v = flags.GetInt(name);
  if (!v.ok()) return v.status();
  if (*v < min || *v > 1 << 20) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", name, " must be an integer >= ", min));
  }
  return static_cast<int>(*v);
}

}  // namespace

std::string BenchUsage() {
  return absl::StrCat(
      "usage: vlmc-bench [flags]\n"
      "Codes every listed image with each codec at each rate point, decodes "
      "it,\nand measures bpp, PSNR, MS-SSIM, token fidelity, CenterNet and "
      "NanoDet\ndetections (mAP vs labels and vs pseudo ground truth) and "
      "encode/decode\ntime. Paths default to the repository layout: run it "
      "from the root.\n\n",
      cli::Flags::Usage(Specs()));
}

absl::StatusOr<BenchOptions> ParseBenchOptions(
    const std::vector<std::string>& args) {
  absl::StatusOr<cli::Flags> flags = cli::Flags::Parse(args, Specs());
  if (!flags.ok()) return flags.status();
  if (!flags->positional().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unexpected argument '", flags->positional()[0], "'"));
  }
  BenchOptions o;
  o.images = flags->Get("images");
  o.labels = flags->Get("labels");
  o.list = flags->Get("list");
  o.model = flags->Get("model");
  absl::StatusOr<int> downscale =
      codec::ParseDownscale(flags->Get("vlmc-downscale"));
  if (!downscale.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--vlmc-", downscale.status().message()));
  }
  o.vlmc_downscale = *downscale;
  o.detector_models = flags->Get("detector-models");
  o.out = flags->Get("out");
  for (auto [name, min, target] :
       {std::tuple{"limit", 0, &o.limit}, std::tuple{"jobs", 1, &o.jobs},
        std::tuple{"threads", 0, &o.threads}}) {
    absl::StatusOr<int> v = GetCount(*flags, name, min);
    if (!v.ok()) return v.status();
    *target = *v;
  }
  absl::StatusOr<std::vector<std::string>> codecs =
      ParseCodecList(flags->Get("codecs"));
  if (!codecs.ok()) return codecs.status();
  for (const std::string& codec : KnownRateCodecs()) {
    const bool chosen =
        std::find(codecs->begin(), codecs->end(), codec) != codecs->end();
    if (!chosen && flags->Get(LadderFlag(codec)) != DefaultLadder(codec)) {
      return absl::InvalidArgumentError(absl::StrCat("--", LadderFlag(codec),
                                                     " is given but ", codec,
                                                     " is not in --codecs"));
    }
  }
  for (const std::string& codec : *codecs) {
    absl::StatusOr<std::vector<double>> points =
        ParseLadder(codec, flags->Get(LadderFlag(codec)));
    if (!points.ok()) return points.status();
    o.codecs.push_back({codec, *std::move(points)});
  }
  return o;
}

}  // namespace vlmc::bench
