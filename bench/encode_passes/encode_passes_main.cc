// vlmc-encode-passes-bench: what the encoder's multi-pass choices cost, each
// next to the way they were done before, in one run on the same images.
//
// 1. `--downscale auto` (codec::kAutomaticDownscale) against the exhaustive
//    choice it replaced: code and decode at 1, 1/2 and 1/4 resolution and
//    keep the least bits + λ(q)·MSE. Reports whether the two chose the same
//    stream, the bytes and the cost each gives, and both times.
// 2. A bpp-target rate search (ratecontrol::EncodeAtRate) against the same
//    number of whole encodes (Codec::Compress), which is what each pass cost
//    before the search coded one analysis at every quality
//    (Codec::Analyze / CompressAnalyzed). The search's stream must equal a
//    fresh Compress at the quality it found.
//
// Usage: vlmc-encode-passes-bench [flags] IMAGE...
#include <chrono>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bench/network_file.h"
#include "models/bitstream/stream_format.h"
#include "models/codec/codec.h"
#include "models/codec/latent_refinement.h"
#include "models/image/image_io.h"
#include "models/image/metrics.h"
#include "models/nn/cpu_threads.h"
#include "models/ratecontrol/rate_search.h"
#include "models/util/cli_flags.h"

namespace {

using vlmc::cli::Flags;
namespace codec = vlmc::codec;
namespace image = vlmc::image;
namespace ratecontrol = vlmc::ratecontrol;

std::vector<Flags::Spec> FlagSpecs() {
  return {
      {"model", VLMC_DEFAULT_MODEL_PATH, "model file (safetensors)"},
      {"qualities", "0,0.1,0.2,0.3,0.5,0.8,1",
       "qualities of the resolution choice (comma-separated, in [0, 1])"},
      {"bpp-targets", "0.05,0.1,0.3,0.6",
       "bpp targets of the rate search (comma-separated, > 0; empty: skip)"},
      {"threads", "2", "LibTorch CPU threads (>= 1)"},
      {"help", "", "print this help", true},
  };
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "vlmc-encode-passes-bench: %s\n", message.c_str());
  return 2;
}

double MsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now() - start)
      .count();
}

absl::StatusOr<std::vector<double>> ParseTargets(const std::string& list) {
  std::vector<double> targets;
  if (list.empty()) return targets;
  for (absl::string_view part : absl::StrSplit(list, ',')) {
    double value = 0;
    if (!absl::SimpleAtod(part, &value) || !(value > 0) ||
        value == std::numeric_limits<double>::infinity()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--bpp-targets: '", part, "' is not a bpp > 0"));
    }
    targets.push_back(value);
  }
  return targets;
}

struct Candidate {
  std::string stream;
  double cost = std::numeric_limits<double>::infinity();
};

// The rate–distortion cost the codec's choice minimises.
absl::StatusOr<double> Cost(const codec::Codec& codec, const image::Image& img,
                            const std::string& stream, double lambda) {
  absl::StatusOr<image::Image> decoded = codec.Decompress(stream);
  if (!decoded.ok()) return decoded.status();
  absl::StatusOr<double> mse = image::Mse(img, *decoded);
  if (!mse.ok()) return mse.status();
  return stream.size() * 8.0 / (static_cast<double>(img.width) * img.height) +
         lambda * *mse;
}

// The choice as it was made before: all three resolutions coded and decoded.
absl::StatusOr<Candidate> ExhaustiveChoice(const codec::Codec& codec,
                                           const image::Image& img,
                                           double quality, double lambda) {
  Candidate best;
  for (int downscale : {1, 2, 4}) {
    codec::EncodeOptions options;
    options.downscale = downscale;
    absl::StatusOr<std::string> stream = codec.Compress(img, quality, options);
    if (!stream.ok()) return stream.status();
    absl::StatusOr<double> cost = Cost(codec, img, *stream, lambda);
    if (!cost.ok()) return cost.status();
    if (*cost < best.cost) best = {*std::move(stream), *cost};
  }
  return best;
}

struct Totals {
  int cases = 0, same = 0;
  double before_ms = 0, after_ms = 0, before_bytes = 0, after_bytes = 0;
};

void PrintTotals(const char* what, const Totals& t) {
  std::printf(
      "%s: %d cases, %d with the same stream; bytes %.0f -> %.0f (%+.3f %%); "
      "time %.0f -> %.0f ms (%.2fx)\n",
      what, t.cases, t.same, t.before_bytes, t.after_bytes,
      t.before_bytes > 0 ? 100.0 * (t.after_bytes / t.before_bytes - 1) : 0.0,
      t.before_ms, t.after_ms, t.after_ms > 0 ? t.before_ms / t.after_ms : 0.0);
}

}  // namespace

int main(int argc, char** argv) {
  absl::StatusOr<Flags> flags =
      Flags::Parse({argv + 1, argv + argc}, FlagSpecs());
  if (!flags.ok()) return Fail(std::string(flags.status().message()));
  if (flags->GetBool("help") || flags->positional().empty()) {
    std::printf(
        "usage: vlmc-encode-passes-bench [flags] IMAGE...\n"
        "Times --downscale auto against the exhaustive choice it replaced and "
        "a bpp-target rate search against as many whole encodes; CSV rows, "
        "then totals.\n%s",
        Flags::Usage(FlagSpecs()).c_str());
    return flags->GetBool("help") ? 0 : 2;
  }
  absl::StatusOr<std::vector<double>> qualities =
      vlmc::bench::ParseQualityList(flags->Get("qualities"));
  if (!qualities.ok()) return Fail(std::string(qualities.status().message()));
  absl::StatusOr<std::vector<double>> targets =
      ParseTargets(flags->Get("bpp-targets"));
  if (!targets.ok()) return Fail(std::string(targets.status().message()));
  absl::StatusOr<int64_t> threads = flags->GetInt("threads");
  if (!threads.ok() || *threads < 1) return Fail("--threads must be >= 1");
  vlmc::nn::SetCpuThreads(static_cast<int>(*threads));
  absl::StatusOr<std::unique_ptr<codec::Codec>> loaded =
      codec::Codec::Load(flags->Get("model"));
  if (!loaded.ok()) return Fail(loaded.status().ToString());
  const codec::Codec& codec = **loaded;

  Totals choice, search;
  std::printf(
      "part,image,setting,same_stream,before_bytes,after_bytes,before_cost,"
      "after_cost,before_ms,after_ms,passes\n");
  for (const std::string& path : flags->positional()) {
    absl::StatusOr<image::Image> img = image::ReadImageFile(path);
    if (!img.ok()) return Fail(img.status().ToString());
    const std::string name = path.substr(path.find_last_of('/') + 1);
    for (double quality : *qualities) {
      const double lambda = codec::LambdaForQuality(
          codec.config(), vlmc::bitstream::CodeToQuality(
                              vlmc::bitstream::QualityToCode(quality)));
      auto start = std::chrono::steady_clock::now();
      absl::StatusOr<Candidate> before =
          ExhaustiveChoice(codec, *img, quality, lambda);
      if (!before.ok()) return Fail(before.status().ToString());
      const double before_ms = MsSince(start);
      codec::EncodeOptions automatic;
      automatic.downscale = codec::kAutomaticDownscale;
      start = std::chrono::steady_clock::now();
      absl::StatusOr<std::string> after =
          codec.Compress(*img, quality, automatic);
      if (!after.ok()) return Fail(after.status().ToString());
      const double after_ms = MsSince(start);
      absl::StatusOr<double> after_cost = Cost(codec, *img, *after, lambda);
      if (!after_cost.ok()) return Fail(after_cost.status().ToString());
      const bool same = *after == before->stream;
      std::printf("auto,%s,q%.2f,%d,%zu,%zu,%.6f,%.6f,%.1f,%.1f,\n",
                  name.c_str(), quality, same, before->stream.size(),
                  after->size(), before->cost, *after_cost, before_ms,
                  after_ms);
      ++choice.cases;
      choice.same += same;
      choice.before_bytes += before->stream.size();
      choice.after_bytes += after->size();
      choice.before_ms += before_ms;
      choice.after_ms += after_ms;
    }
    for (double bpp : *targets) {
      ratecontrol::RateTarget target;
      target.kind = ratecontrol::RateTarget::Kind::kTargetBpp;
      target.value = bpp;
      auto start = std::chrono::steady_clock::now();
      absl::StatusOr<ratecontrol::EncodedImage> found =
          ratecontrol::EncodeAtRate(codec, *img, target);
      if (!found.ok()) return Fail(found.status().ToString());
      const double after_ms = MsSince(start);
      // As many whole encodes, at the qualities a bisection starts with.
      start = std::chrono::steady_clock::now();
      double low = 0.0, high = 1.0;
      for (int pass = 0; pass < found->passes; ++pass) {
        const double quality = pass == 0   ? 1.0
                               : pass == 1 ? 0.0
                                           : 0.5 * (low + high);
        if (pass >= 2) (pass % 2 ? low : high) = quality;
        absl::StatusOr<std::string> whole = codec.Compress(*img, quality);
        if (!whole.ok()) return Fail(whole.status().ToString());
      }
      const double before_ms = MsSince(start);
      absl::StatusOr<std::string> fresh = codec.Compress(*img, found->quality);
      if (!fresh.ok()) return Fail(fresh.status().ToString());
      const bool same = *fresh == found->stream;
      std::printf("bpp-target,%s,%.3f,%d,%zu,%zu,,,%.1f,%.1f,%d\n",
                  name.c_str(), bpp, same, fresh->size(), found->stream.size(),
                  before_ms, after_ms, found->passes);
      ++search.cases;
      search.same += same;
      search.before_bytes += fresh->size();
      search.after_bytes += found->stream.size();
      search.before_ms += before_ms;
      search.after_ms += after_ms;
    }
    std::fflush(stdout);
    std::fprintf(stderr, "vlmc-encode-passes-bench: %s done\n", name.c_str());
  }
  PrintTotals("resolution choice (exhaustive -> auto)", choice);
  PrintTotals("rate search (whole encodes -> one analysis)", search);
  return 0;
}
