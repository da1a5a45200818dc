// `vlmc encode`, `vlmc decode`, `vlmc info`: one image or stream at a time.
#include <chrono>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "client/command_util.h"
#include "client/commands.h"
#include "client/encoder_flags.h"
#include "client/model_path.h"
#include "client/remote_commands.h"
#include "models/bitstream/stream_format.h"
#include "models/codec/codec.h"
#include "models/image/image_io.h"
#include "models/nn/cpu_threads.h"
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

int RunEncode(const std::vector<std::string>& args) {
  const std::string kCmd = "encode";
  Flags flags;
  int exit_code = 0;
  if (!ParseOrExit(
          kCmd, "encode IN.png|IN.jpg -o OUT.vlmc [-q QUALITY] [flags]", args,
          Concat(
              {{"o", "", "output stream path (required)"},
               {"q", "0.5",
                "quality in [0, 1]: 0 fewest bits, 1 best fidelity"},
               ModelFlag(),
               ThreadsFlag()},
              Concat(Concat(ServerFlags(kCodecServerHelp), ServerModelFlags()),
                     EncoderFlags())),
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
  absl::StatusOr<double> quality = flags.GetDouble("q");
  if (!quality.ok()) return UsageError(kCmd, quality.status());
  if (!(*quality >= 0.0 && *quality <= 1.0)) {
    return UsageError(kCmd, absl::InvalidArgumentError("-q must be in [0, 1]"));
  }
  if (!flags.Get("server").empty())
    return RemoteEncode(flags, *input, *quality);
  if (absl::Status s = ApplyThreads(flags); !s.ok()) return UsageError(kCmd, s);
  absl::StatusOr<image::Image> img = image::ReadImageFile(*input);
  if (!img.ok()) return Fail(kCmd, img.status());
  absl::StatusOr<std::unique_ptr<codec::Codec>> codec =
      codec::Codec::Load(flags.Get("model"));
  if (!codec.ok()) return Fail(kCmd, codec.status());
  const auto start = Clock::now();
  absl::StatusOr<std::string> stream =
      (*codec)->Compress(*img, *quality, *encode_options);
  if (!stream.ok()) return Fail(kCmd, stream.status());
  const double ms = MillisecondsSince(start);
  if (absl::Status s = util::WriteFileAtomically(flags.Get("o"), *stream);
      !s.ok()) {
    return Fail(kCmd, s);
  }
  std::printf(
      "%s: %dx%d, quality %.3f -> %zu bytes, %.4f bpp, %.1f ms\n",
      flags.Get("o").c_str(), img->width, img->height, *quality, stream->size(),
      stream->size() * 8.0 / (static_cast<double>(img->width) * img->height),
      ms);
  return 0;
}

int RunDecode(const std::vector<std::string>& args) {
  const std::string kCmd = "decode";
  Flags flags;
  int exit_code = 0;
  if (!ParseOrExit(
          kCmd, "decode IN.vlmc -o OUT.png [flags]", args,
          Concat({{"o", "", "output PNG path (required)"},
                  DecodeModelFlag(),
                  ThreadsFlag(),
                  {"sha256", "",
                   "also print the SHA-256 of the decoded RGB8 pixels", true}},
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
  absl::StatusOr<std::string> stream = util::ReadFile(*input);
  if (!stream.ok()) return Fail(kCmd, stream.status());
  absl::StatusOr<std::string> model_path = flags.Get("model").empty()
                                               ? ModelPathForStream(*stream)
                                               : flags.Get("model");
  if (!model_path.ok()) return Fail(kCmd, model_path.status());
  absl::StatusOr<std::unique_ptr<codec::Codec>> codec =
      codec::Codec::Load(*model_path);
  if (!codec.ok()) return Fail(kCmd, codec.status());
  const auto start = Clock::now();
  absl::StatusOr<image::Image> img = (*codec)->Decompress(*stream);
  if (!img.ok()) return Fail(kCmd, img.status());
  const double ms = MillisecondsSince(start);
  if (absl::Status s = image::WritePngFile(*img, flags.Get("o")); !s.ok())
    return Fail(kCmd, s);
  std::printf("%s: %dx%d from %zu bytes, %.1f ms\n", flags.Get("o").c_str(),
              img->width, img->height, stream->size(), ms);
  if (flags.GetBool("sha256")) {
    const std::string pixels(img->rgb.begin(), img->rgb.end());
    std::printf("pixels sha256: %s\n",
                util::ToHex(util::Sha256(pixels)).c_str());
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
