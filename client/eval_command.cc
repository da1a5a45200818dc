// `vlmc eval`: rate-PSNR and speed of a model over a folder of images.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "client/command_util.h"
#include "client/commands.h"
#include "client/encoder_flags.h"
#include "client/model_path.h"
#include "client/remote_commands.h"
#include "models/codec/codec.h"
#include "models/image/image_io.h"
#include "models/image/metrics.h"
#include "models/nn/cpu_threads.h"
#include "models/train/crop_dataset.h"

namespace vlmc::cli {
namespace {

double Ms(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

// Compress + decompress with the model file here, timing each.
absl::StatusOr<RoundTripFn> LocalRoundTrip(
    const std::string& model_path, const codec::EncodeOptions& encode_options) {
  absl::StatusOr<std::unique_ptr<codec::Codec>> loaded =
      codec::Codec::Load(model_path);
  if (!loaded.ok()) return loaded.status();
  std::shared_ptr<codec::Codec> codec = std::move(*loaded);
  std::string name = absl::StrCat(codec->config().model_id, "-v",
                                  codec->config().model_version);
  if (encode_options.downscale != 1) {
    absl::StrAppend(&name, "-down",
                    codec::DownscaleName(encode_options.downscale));
  }
  return [codec, name, encode_options](
             const image::Image& original,
             double quality) -> absl::StatusOr<RoundTrip> {
    const auto t0 = Clock::now();
    absl::StatusOr<std::string> stream =
        codec->Compress(original, quality, encode_options);
    if (!stream.ok()) return stream.status();
    const auto t1 = Clock::now();
    absl::StatusOr<image::Image> decoded = codec->Decompress(*stream);
    if (!decoded.ok()) return decoded.status();
    return RoundTrip{name, stream->size(), std::move(*decoded), Ms(t0, t1),
                     Ms(t1, Clock::now())};
  };
}

struct PointSum {
  double bpp = 0, psnr = 0, encode_ms = 0, decode_ms = 0;
  int images = 0;
};

}  // namespace

int RunEval(const std::vector<std::string>& args) {
  const std::string kCmd = "eval";
  Flags flags;
  int exit_code = 0;
  std::vector<Flags::Spec> specs = {
      {"images", "", "folder of PNG/JPEG images (required)"},
      {"qualities", "0,0.2,0.4,0.6,0.8,1", "comma-separated quality ladder"},
      {"model", DefaultModelPath(), "model file, without --server"},
      {"limit", "0", "use only the first N images (0: all)"},
      {"threads", "0", "CPU threads, without --server (0: LibTorch default)"},
      {"csv", "", "per-image CSV output"},
      {"summary-csv", "", "per-quality mean CSV output"}};
  for (const std::vector<Flags::Spec>& more :
       {ServerFlags("encode and decode on this VlmCodec server (HOST:PORT); "
                    "times are round trips"),
        ServerModelFlags(), EncoderFlags()}) {
    specs.insert(specs.end(), more.begin(), more.end());
  }
  if (!ParseOrExit(kCmd, "eval --images DIR [flags]", args, specs, &flags,
                   &exit_code)) {
    return exit_code;
  }
  if (flags.Get("images").empty()) {
    return UsageError(kCmd, absl::InvalidArgumentError("--images is required"));
  }
  std::vector<double> qualities;
  for (absl::string_view part :
       absl::StrSplit(flags.Get("qualities"), ',', absl::SkipEmpty())) {
    double q = 0;
    if (!absl::SimpleAtod(part, &q) || q < 0 || q > 1) {
      return UsageError(
          kCmd, absl::InvalidArgumentError(absl::StrCat("--qualities: '", part,
                                                        "' is not in [0, 1]")));
    }
    qualities.push_back(q);
  }
  absl::StatusOr<codec::EncodeOptions> encode_options =
      ParseEncoderFlags(flags);
  if (!encode_options.ok()) return UsageError(kCmd, encode_options.status());
  absl::StatusOr<int64_t> limit = flags.GetInt("limit");
  absl::StatusOr<int64_t> threads = flags.GetInt("threads");
  if (!limit.ok()) return UsageError(kCmd, limit.status());
  if (!threads.ok()) return UsageError(kCmd, threads.status());
  if (*threads > 0) nn::SetCpuThreads(static_cast<int>(*threads));
  absl::StatusOr<std::vector<std::string>> files =
      train::ListImages({flags.Get("images")});
  if (!files.ok()) return Fail(kCmd, files.status());
  if (*limit > 0 && static_cast<size_t>(*limit) < files->size())
    files->resize(*limit);
  if (files->empty())
    return UsageError(kCmd, absl::InvalidArgumentError("no images found"));
  RoundTripFn round_trip;
  if (!flags.Get("server").empty()) {
    absl::StatusOr<RoundTripFn> remote = RemoteRoundTrip(flags);
    if (!remote.ok()) return UsageError(kCmd, remote.status());
    round_trip = std::move(*remote);
  } else {
    absl::StatusOr<RoundTripFn> local =
        LocalRoundTrip(flags.Get("model"), *encode_options);
    if (!local.ok()) return Fail(kCmd, local.status());
    round_trip = std::move(*local);
  }
  std::string codec_name;

  std::string csv = "codec,image,setting,bytes,bpp,psnr,encode_ms,decode_ms\n";
  std::vector<PointSum> sums(qualities.size());
  for (size_t i = 0; i < files->size(); ++i) {
    const std::string& path = (*files)[i];
    absl::StatusOr<image::Image> img = image::ReadImageFile(path);
    if (!img.ok()) return Fail(kCmd, img.status());
    const std::string name = path.substr(path.find_last_of('/') + 1);
    for (size_t k = 0; k < qualities.size(); ++k) {
      absl::StatusOr<RoundTrip> trip = round_trip(*img, qualities[k]);
      if (!trip.ok()) return Fail(kCmd, trip.status());
      absl::StatusOr<double> psnr = image::Psnr(*img, trip->decoded);
      if (!psnr.ok()) return Fail(kCmd, psnr.status());
      codec_name = trip->codec_name;
      const double bpp = trip->stream_bytes * 8.0 /
                         (static_cast<double>(img->width) * img->height);
      absl::StrAppendFormat(&csv, "%s,%s,%g,%zu,%.6f,%.4f,%.2f,%.2f\n",
                            codec_name, name, qualities[k], trip->stream_bytes,
                            bpp, *psnr, trip->encode_ms, trip->decode_ms);
      PointSum& s = sums[k];
      s.bpp += bpp;
      s.psnr += *psnr;
      s.encode_ms += trip->encode_ms;
      s.decode_ms += trip->decode_ms;
      ++s.images;
    }
    std::fprintf(stderr, "eval: %zu/%zu %s\n", i + 1, files->size(),
                 name.c_str());
  }
  std::string summary = "codec,setting,bpp,psnr,encode_ms,decode_ms,images\n";
  std::printf("%-8s %8s %9s %10s %10s\n", "quality", "bpp", "PSNR dB", "enc ms",
              "dec ms");
  for (size_t k = 0; k < qualities.size(); ++k) {
    const PointSum& s = sums[k];
    const double n = s.images;
    absl::StrAppendFormat(&summary, "%s,%g,%.6f,%.4f,%.2f,%.2f,%d\n",
                          codec_name, qualities[k], s.bpp / n, s.psnr / n,
                          s.encode_ms / n, s.decode_ms / n, s.images);
    std::printf("%-8g %8.4f %9.3f %10.1f %10.1f\n", qualities[k], s.bpp / n,
                s.psnr / n, s.encode_ms / n, s.decode_ms / n);
  }
  for (auto [flag, text] :
       {std::pair{"csv", &csv}, std::pair{"summary-csv", &summary}}) {
    if (flags.Get(flag).empty()) continue;
    std::ofstream out(flags.Get(flag));
    out << *text;
    if (!out)
      return Fail(kCmd,
                  absl::UnavailableError("cannot write " + flags.Get(flag)));
  }
  return 0;
}

}  // namespace vlmc::cli
