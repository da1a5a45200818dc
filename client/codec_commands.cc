// `vlmc encode`, `vlmc decode`, `vlmc info`: one image or stream at a time.
#include <chrono>
#include <cstdio>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/command_util.h"
#include "client/commands.h"
#include "client/encode_target.h"
#include "client/encoder_flags.h"
#include "client/model_path.h"
#include "client/remote_commands.h"
#include "models/bitstream/stream_format.h"
#include "models/codec/codec.h"
#include "models/image/image_io.h"
#include "models/image/metrics.h"
#include "models/image/png_codec.h"
#include "models/nn/cpu_threads.h"
#include "models/ratecontrol/rate_search.h"
#include "models/ratecontrol/task_search.h"
#include "models/semantic/detector.h"
#include "models/util/file_io.h"
#include "models/util/sha256.h"

namespace vlmc::cli {
namespace {

Flags::Spec ModelFlag() {
  return {"model", DefaultModelPath(),
          "model file, without --server (env VLMC_MODEL overrides the "
          "default)"};
}

// Decode's --model: empty means the zoo model named in the stream.
Flags::Spec DecodeModelFlag() {
  return {"model", ModelPathFromEnvironment(),
          "model file, without --server (default: env VLMC_MODEL if set, "
          "else the shipped model that wrote the stream, found in the model "
          "zoo by the id and version in its header)"};
}

Flags::Spec ThreadsFlag() {
  return {"threads", "0",
          "CPU threads, without --server (0: LibTorch default)"};
}

constexpr char kCodecServerHelp[] =
    "run on this VlmCodec server (HOST:PORT) instead of here";

// `specs` followed by `more`.
std::vector<Flags::Spec> Concat(std::vector<Flags::Spec> specs,
                                const std::vector<Flags::Spec>& more) {
  specs.insert(specs.end(), more.begin(), more.end());
  return specs;
}

absl::Status ApplyThreads(const Flags& flags) {
  absl::StatusOr<int64_t> threads = flags.GetInt("threads");
  if (!threads.ok()) return threads.status();
  if (*threads < 0) return absl::InvalidArgumentError("--threads must be >= 0");
  if (*threads > 0) nn::SetCpuThreads(static_cast<int>(*threads));
  return absl::OkStatus();
}

absl::StatusOr<std::string> SinglePositional(const Flags& flags,
                                             const char* what) {
  if (flags.positional().size() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected exactly one ", what));
  }
  return flags.positional()[0];
}

}  // namespace

namespace {

// Runs `target` here: one Compress for a quality, else the rate or task
// search of models/ratecontrol.
absl::StatusOr<EncodeOutcome> EncodeHere(const Flags& flags,
                                         const codec::Codec& codec,
                                         const image::Image& img,
                                         const EncodeTarget& target,
                                         const codec::EncodeOptions& options) {
  EncodeOutcome outcome;
  outcome.width = img.width;
  outcome.height = img.height;
  switch (target.kind) {
    case EncodeTarget::Kind::kQuality: {
      absl::StatusOr<std::string> stream =
          codec.Compress(img, target.value, options);
      if (!stream.ok()) return stream.status();
      outcome.stream = *std::move(stream);
      outcome.quality = target.value;
      absl::StatusOr<bitstream::ParsedStream> parsed =
          bitstream::ParseStream(outcome.stream);
      if (!parsed.ok()) return parsed.status();
      outcome.downscale = 1 << parsed->header.downscale_log2;
      return outcome;
    }
    case EncodeTarget::Kind::kTargetBpp:
    case EncodeTarget::Kind::kMaxBytes: {
      ratecontrol::RateTarget rate;
      rate.kind = target.kind == EncodeTarget::Kind::kTargetBpp
                      ? ratecontrol::RateTarget::Kind::kTargetBpp
                      : ratecontrol::RateTarget::Kind::kMaxBytes;
      rate.value = target.value;
      rate.downscale = options.downscale;
      absl::StatusOr<ratecontrol::EncodedImage> encoded =
          ratecontrol::EncodeAtRate(codec, img, rate);
      if (!encoded.ok()) return encoded.status();
      outcome.stream = std::move(encoded->stream);
      outcome.quality = encoded->quality;
      outcome.downscale = encoded->downscale;
      outcome.target_met = encoded->target_met;
      outcome.passes = encoded->passes;
      return outcome;
    }
    case EncodeTarget::Kind::kTask: {
      absl::StatusOr<std::unique_ptr<ratecontrol::TaskEvaluator>> evaluator =
          ratecontrol::TaskEvaluator::Load(flags.Get("semantic-model-dir"));
      if (!evaluator.ok()) return evaluator.status();
      absl::StatusOr<std::unique_ptr<ratecontrol::FidelityProbe>> probe =
          (*evaluator)
              ->MakeProbe(target.detection
                              ? ratecontrol::TaskMetric::kDetectionAgreement
                              : ratecontrol::TaskMetric::kTokenCosine,
                          img);
      if (!probe.ok()) return probe.status();
      ratecontrol::TaskSearchOptions search;
      search.min_fidelity = target.value;
      search.max_passes = target.max_passes;
      absl::StatusOr<ratecontrol::TaskEncodedImage> encoded =
          ratecontrol::EncodeForTask(codec, img, **probe, search);
      if (!encoded.ok()) return encoded.status();
      outcome.stream = std::move(encoded->stream);
      outcome.quality = encoded->quality;
      outcome.target_met = encoded->target_met;
      outcome.passes = encoded->passes;
      outcome.fidelity = encoded->fidelity;
      return outcome;
    }
  }
  return absl::InternalError("unknown encode target");
}

// `vlmc encode` has no fixed --downscale default: a byte or bpp budget may
// need a smaller resolution, a quality target keeps the full one.
std::vector<Flags::Spec> EncodeDownscaleByTarget(
    std::vector<Flags::Spec> specs) {
  for (Flags::Spec& spec : specs) {
    if (spec.name != "downscale") continue;
    spec.default_value = "";
    spec.help +=
        " (default: 1 for -q and --task; for --bpp and --max-bytes, full "
        "resolution first and 1/2, then 1/4 only while quality 0 does not "
        "fit)";
  }
  return specs;
}

// Refinement runs for one quality only, and the task search codes at full
// resolution.
absl::Status CheckTargetAndOptions(const EncodeTarget& target,
                                   const codec::EncodeOptions& options) {
  if (target.kind != EncodeTarget::Kind::kQuality &&
      options.refinement.iterations > 0) {
    return absl::InvalidArgumentError("--refine works with -q only");
  }
  if (target.kind == EncodeTarget::Kind::kTask && options.downscale != 1) {
    return absl::InvalidArgumentError(
        "--downscale works with -q, --bpp and --max-bytes, not --task");
  }
  if (target.kind != EncodeTarget::Kind::kQuality && options.y_substreams != 0)
    return absl::InvalidArgumentError("--y-substreams works with -q only");
  return absl::OkStatus();
}

}  // namespace

int RunEncode(const std::vector<std::string>& args) {
  const std::string kCmd = "encode";
  Flags flags;
  int exit_code = 0;
  if (!ParseOrExit(
          kCmd,
          "encode IN.png|IN.jpg|- -o OUT.vlmc|- [-q Q | --bpp B | --max-bytes "
          "N | --task detect|tokens --fidelity F] [flags]",
          args,
          Concat(Concat({{"o", "",
                          "output stream path (required; - writes the "
                          "stream to standard output and the report to "
                          "standard error); IN - reads standard input"}},
                        EncodeTargetFlags()),
                 Concat(Concat({ModelFlag(),
                                ThreadsFlag(),
                                {"semantic-model-dir",
                                 semantic::DefaultSemanticModelDir(),
                                 "with --task, without --server: the "
                                 "detector and token models "
                                 "(scripts/fetch-models.sh)"}},
                               Concat(ServerFlags(kCodecServerHelp),
                                      ServerModelFlags())),
                        EncodeDownscaleByTarget(EncoderFlags()))),
          &flags, &exit_code)) {
    return exit_code;
  }
  absl::StatusOr<codec::EncodeOptions> encode_options =
      ParseEncoderFlags(flags);
  if (!encode_options.ok()) return UsageError(kCmd, encode_options.status());
  absl::StatusOr<std::string> input = SinglePositional(flags, "input image");
  if (!input.ok()) return UsageError(kCmd, input.status());
  if (flags.Get("o").empty())
    return UsageError(kCmd, absl::InvalidArgumentError("-o OUT is required"));
  absl::StatusOr<EncodeTarget> target = ParseEncodeTarget(flags);
  if (!target.ok()) return UsageError(kCmd, target.status());
  const bool budget = target->kind == EncodeTarget::Kind::kTargetBpp ||
                      target->kind == EncodeTarget::Kind::kMaxBytes;
  if (flags.Get("downscale").empty() && budget)
    encode_options->downscale = codec::kAutomaticDownscale;
  if (absl::Status s = CheckTargetAndOptions(*target, *encode_options);
      !s.ok()) {
    return UsageError(kCmd, s);
  }
  if (!flags.Get("server").empty())
    return RemoteEncode(flags, *input, *target, encode_options->downscale);
  if (absl::Status s = ApplyThreads(flags); !s.ok()) return UsageError(kCmd, s);
  absl::StatusOr<std::string> bytes = ReadInput(*input);
  if (!bytes.ok()) return Fail(kCmd, bytes.status());
  absl::StatusOr<image::Image> img = image::DecodeImage(*bytes);
  if (!img.ok()) {
    return Fail(
        kCmd, absl::Status(img.status().code(),
                           absl::StrCat(*input, ": ", img.status().message())));
  }
  absl::StatusOr<std::unique_ptr<codec::Codec>> codec =
      codec::Codec::Load(flags.Get("model"));
  if (!codec.ok()) return Fail(kCmd, codec.status());
  const auto start = Clock::now();
  absl::StatusOr<EncodeOutcome> outcome =
      EncodeHere(flags, **codec, *img, *target, *encode_options);
  if (!outcome.ok()) return Fail(kCmd, outcome.status());
  const double ms = MillisecondsSince(start);
  if (absl::Status s = CheckTargetMet(*target, *outcome); !s.ok())
    return Fail(kCmd, s);
  if (absl::Status s = WriteOutput(flags.Get("o"), outcome->stream); !s.ok())
    return Fail(kCmd, s);
  PrintEncodeReport(ReportStream(flags.Get("o")), flags.Get("o"), *target,
                    *outcome, absl::StrFormat("%.1f ms", ms));
  return 0;
}

int RunDecode(const std::vector<std::string>& args) {
  const std::string kCmd = "decode";
  Flags flags;
  int exit_code = 0;
  if (!ParseOrExit(
          kCmd, "decode IN.vlmc|- -o OUT.png|- [flags]", args,
          Concat(
              {{"o", "",
                "output PNG path (required; - writes the PNG to standard "
                "output and the report to standard error); IN - reads "
                "standard input"},
               DecodeModelFlag(),
               ThreadsFlag(),
               {"synthesis", "float32",
                "synthesis arithmetic, without --server: float32 (fast; "
                "each value within +-1 of float64) or float64 (exact: the "
                "same pixels on every machine and thread count, about 2x "
                "slower; for golden files and bit-for-bit archives)"},
               {"png-level", absl::StrCat(image::kDefaultPngCompressionLevel),
                "zlib level of the output PNG, without --server: 0 "
                "(stored) to 9 (smallest); 1 writes a photo about 5x "
                "faster than libpng's default 6 for about 11 % more bytes"},
               {"sha256", "",
                "also print the SHA-256 of the decoded RGB8 pixels", true},
               {"compare", "",
                "also compare the decode with this PNG/JPEG of the same "
                "size (e.g. another precision's decode, or the original): "
                "prints the largest value difference, how many values "
                "differ and the PSNR"}},
              ServerFlags(kCodecServerHelp)),
          &flags, &exit_code)) {
    return exit_code;
  }
  absl::StatusOr<std::string> input = SinglePositional(flags, "input stream");
  if (!input.ok()) return UsageError(kCmd, input.status());
  if (flags.Get("o").empty())
    return UsageError(kCmd, absl::InvalidArgumentError("-o OUT is required"));
  if (!flags.Get("server").empty()) return RemoteDecode(flags, *input);
  if (absl::Status s = ApplyThreads(flags); !s.ok()) return UsageError(kCmd, s);
  absl::StatusOr<int64_t> png_level = flags.GetInt("png-level");
  if (!png_level.ok()) return UsageError(kCmd, png_level.status());
  if (*png_level < 0 || *png_level > 9) {
    return UsageError(kCmd,
                      absl::InvalidArgumentError(absl::StrCat(
                          "--png-level ", *png_level, " is outside 0..9")));
  }
  codec::CodecOptions codec_options;
  absl::StatusOr<codec::SynthesisPrecision> synthesis =
      codec::ParseSynthesisPrecision(flags.Get("synthesis"));
  if (!synthesis.ok()) return UsageError(kCmd, synthesis.status());
  codec_options.synthesis = *synthesis;
  if (absl::Status s = codec::ResolveDevice(codec_options).status(); !s.ok())
    return UsageError(kCmd, s);
  absl::StatusOr<std::string> stream = ReadInput(*input);
  if (!stream.ok()) return Fail(kCmd, stream.status());
  absl::StatusOr<std::string> model_path = flags.Get("model").empty()
                                               ? ModelPathForStream(*stream)
                                               : flags.Get("model");
  if (!model_path.ok()) return Fail(kCmd, model_path.status());
  absl::StatusOr<std::unique_ptr<codec::Codec>> codec =
      codec::Codec::Load(*model_path, codec_options);
  if (!codec.ok()) return Fail(kCmd, codec.status());
  const auto start = Clock::now();
  absl::StatusOr<image::Image> img = (*codec)->Decompress(*stream);
  if (!img.ok()) return Fail(kCmd, img.status());
  const double ms = MillisecondsSince(start);
  // A failed comparison writes nothing, like any other failure.
  std::optional<image::ValueDifference> difference;
  double compare_psnr = 0;
  if (!flags.Get("compare").empty()) {
    absl::StatusOr<image::Image> reference =
        image::ReadImageFile(flags.Get("compare"));
    if (!reference.ok()) return Fail(kCmd, reference.status());
    absl::StatusOr<image::ValueDifference> compared =
        image::CompareValues(*img, *reference);
    if (!compared.ok()) return Fail(kCmd, compared.status());
    difference = *compared;
    compare_psnr = *image::Psnr(*img, *reference);
  }
  absl::StatusOr<std::string> png =
      image::EncodePng(*img, static_cast<int>(*png_level));
  if (!png.ok()) return Fail(kCmd, png.status());
  if (absl::Status s = WriteOutput(flags.Get("o"), *png); !s.ok())
    return Fail(kCmd, s);
  std::FILE* report = ReportStream(flags.Get("o"));
  std::fprintf(report, "%s: %dx%d from %zu bytes, %.1f ms\n",
               flags.Get("o").c_str(), img->width, img->height, stream->size(),
               ms);
  if (flags.GetBool("sha256")) {
    const std::string pixels(img->rgb.begin(), img->rgb.end());
    std::fprintf(report, "pixels sha256: %s\n",
                 util::ToHex(util::Sha256(pixels)).c_str());
  }
  if (difference.has_value()) {
    std::fprintf(report,
                 "compared with %s: max |difference| %d, %lld of %lld values "
                 "differ, PSNR %.2f dB\n",
                 flags.Get("compare").c_str(), difference->max_abs,
                 static_cast<long long>(difference->differing),
                 static_cast<long long>(difference->total), compare_psnr);
  }
  return 0;
}

int RunInfo(const std::vector<std::string>& args) {
  const std::string kCmd = "info";
  Flags flags;
  int exit_code = 0;
  if (!ParseOrExit(kCmd, "info IN.vlmc | info --server HOST:PORT", args,
                   ServerFlags("print this VlmCodec server's models and "
                               "limits (when no stream is given)"),
                   &flags, &exit_code)) {
    return exit_code;
  }
  if (!flags.Get("server").empty() && flags.positional().empty())
    return RemoteInfo(flags);
  absl::StatusOr<std::string> input = SinglePositional(flags, "input stream");
  if (!input.ok()) return UsageError(kCmd, input.status());
  absl::StatusOr<std::string> stream = util::ReadFile(*input);
  if (!stream.ok()) return Fail(kCmd, stream.status());
  absl::StatusOr<bitstream::ParsedStream> parsed =
      bitstream::ParseStream(*stream);
  if (!parsed.ok()) return Fail(kCmd, parsed.status());
  const bitstream::StreamHeader& h = parsed->header;
  std::printf(
      "format version: %d\nmodel: %s v%d\nweights hash: %s\nsize: "
      "%ux%u\nquality: %.4f (code "
      "%u)\nz segment: %zu bytes\ny segment: %zu bytes\ntotal: %zu bytes, %.4f "
      "bpp\n",
      h.format_version, h.model_id.c_str(), h.model_version,
      util::ToHex(h.weights_hash).c_str(), h.width, h.height,
      bitstream::CodeToQuality(h.quality_code), h.quality_code,
      parsed->z_segment.size(), parsed->y_segment.size(), stream->size(),
      stream->size() * 8.0 / (static_cast<double>(h.width) * h.height));
  if (h.downscale_log2 != 0) {
    std::printf("coded at: 1/%d resolution (%ux%u), upsampled when decoded\n",
                1 << h.downscale_log2,
                bitstream::CodedExtent(h.width, h.downscale_log2),
                bitstream::CodedExtent(h.height, h.downscale_log2));
  }
  if (h.format_version >= bitstream::kSubstreamFormatVersion) {
    std::printf("y substreams: %zu (decoded in parallel)\n",
                parsed->y_substreams.size());
  }
  return 0;
}

}  // namespace vlmc::cli
