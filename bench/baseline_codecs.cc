#include "bench/baseline_codecs.h"

#include <chrono>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "bench/ppm.h"
#include "bench/subprocess.h"
#include "bench/temp_dir.h"
#include "models/image/png_codec.h"
#include "models/util/file_io.h"

namespace vlmc::bench {
namespace {

struct CodecSpec {
  BaselineCodec codec;
  const char* name;
  const char* encoder;
  const char* decoder;  // May be the encoder itself (ffmpeg).
  const char* package;  // Debian package providing both.
  const char* version_flag;
  QualityScale scale;
};

constexpr CodecSpec kSpecs[] = {
    {BaselineCodec::kJpeg,
     "jpeg",
     "cjpeg",
     "djpeg",
     "libjpeg-turbo-progs",
     "-version",
     {0, 100, true, "cjpeg -quality Q (higher = better)"}},
    {BaselineCodec::kWebp,
     "webp",
     "cwebp",
     "dwebp",
     "webp",
     "-version",
     {0, 100, true, "cwebp -q Q (higher = better)"}},
    {BaselineCodec::kAvif,
     "avif",
     "avifenc",
     "avifdec",
     "libavif-bin",
     "--version",
     {0, 63, false,
      "avifenc --min Q --max Q, the AV1 quantizer (lower = better)"}},
    // Below -q 5 cjxl 0.7 maps to a distance over its limit of 25.
    {BaselineCodec::kJxl,
     "jxl",
     "cjxl",
     "djxl",
     "libjxl-tools",
     "--version",
     {5, 100, true, "cjxl -q Q (higher = better; 100 is lossless)"}},
    {BaselineCodec::kHevc,
     "hevc",
     "ffmpeg",
     "ffmpeg",
     "ffmpeg",
     "-version",
     {0, 51, false, "x265 qp=Q, the intra slice QP (lower = better)"}},
};

const CodecSpec& SpecFor(BaselineCodec codec) {
  for (const CodecSpec& spec : kSpecs) {
    if (spec.codec == codec) return spec;
  }
  return kSpecs[0];  // Unreachable: kSpecs covers every enumerator.
}

// Precise RGB <-> YUV conversion in ffmpeg; its default rounding alone caps a
// 4:2:0 round trip of a Kodak image at about 42 dB.
constexpr char kSwsFlags[] = "bicubic+accurate_rnd+full_chroma_int";

// Files and command lines of one run inside a temporary directory.
struct Plan {
  std::string input, coded, decoded;
  std::vector<std::string> encode, decode;
};

Plan MakePlan(BaselineCodec codec, const ScopedTempDir& dir, int quality) {
  const CodecSpec& spec = SpecFor(codec);
  const std::string q = absl::StrCat(quality);
  Plan p;
  p.input = dir.File("in.png");
  p.decoded = dir.File("dec.png");
  switch (codec) {
    case BaselineCodec::kJpeg:
      p.input = dir.File("in.ppm");
      p.coded = dir.File("out.jpg");
      p.decoded = dir.File("dec.ppm");
      p.encode = {spec.encoder, "-quality", q,       "-sample", "2x2",
                  "-optimize",  "-outfile", p.coded, p.input};
      p.decode = {spec.decoder, "-ppm", "-outfile", p.decoded, p.coded};
      break;
    case BaselineCodec::kWebp:
      p.coded = dir.File("out.webp");
      p.encode = {spec.encoder, "-quiet", "-q", q,      "-m",
                  "6",          p.input,  "-o", p.coded};
      // PNG is dwebp's default output (1.2.x has no -png flag).
      p.decode = {spec.decoder, "-quiet", p.coded, "-o", p.decoded};
      break;
    case BaselineCodec::kAvif:
      p.coded = dir.File("out.avif");
      p.encode = {spec.encoder, "-j",  "1",     "-c", "aom",   "-s", "6",
                  "-y",         "420", "--min", q,    "--max", q,    p.input,
                  p.coded};
      p.decode = {spec.decoder, "-j", "1", p.coded, p.decoded};
      break;
    case BaselineCodec::kJxl:
      p.coded = dir.File("out.jxl");
      p.encode = {spec.encoder, p.input, p.coded,           "-q",     q,
                  "-e",         "7",     "--num_threads=0", "--quiet"};
      p.decode = {spec.decoder, p.coded, p.decoded, "--num_threads=0",
                  "--quiet"};
      break;
    case BaselineCodec::kHevc:
      p.coded = dir.File("out.hevc");
      // ipratio=1 codes the I slice at qp itself (x265 lowers it by ~3
      // otherwise); info=0 drops the SEI holding x265's settings string,
      // which a decoder does not need.
      p.encode = {
          spec.encoder,
          "-hide_banner",
          "-loglevel",
          "error",
          "-nostdin",
          "-y",
          "-i",
          p.input,
          "-sws_flags",
          kSwsFlags,
          "-pix_fmt",
          "yuv420p",
          "-frames:v",
          "1",
          "-c:v",
          "libx265",
          "-preset",
          "medium",
          "-tune",
          "psnr",
          "-x265-params",
          absl::StrCat("qp=", q, ":ipratio=1:info=0:pools=1:log-level=error"),
          "-f",
          "hevc",
          p.coded};
      p.decode = {spec.decoder, "-hide_banner", "-loglevel",  "error",
                  "-nostdin",   "-y",           "-f",         "hevc",
                  "-i",         p.coded,        "-sws_flags", kSwsFlags,
                  "-pix_fmt",   "rgb24",        p.decoded};
      break;
  }
  return p;
}

absl::Status ToolNotFound(absl::string_view tool, absl::string_view package) {
  return absl::NotFoundError(
      absl::StrCat(tool, " not found: install ", package));
}

// Runs `argv` and returns its output, turning a missing tool or a non-zero
// exit into an error.
absl::StatusOr<std::string> RunTool(const std::vector<std::string>& argv,
                                    absl::string_view package) {
  if (!FindInPath(argv[0]).ok()) return ToolNotFound(argv[0], package);
  absl::StatusOr<CommandResult> r = RunCommand(argv);
  if (!r.ok()) return r.status();
  if (r->exit_code != 0) {
    return absl::InternalError(
        absl::StrCat(FormatCommandLine(argv), " exited with ", r->exit_code,
                     ": ", absl::StripAsciiWhitespace(r->output)));
  }
  return std::move(r->output);
}

// The libx265 version ffmpeg links, which `ffmpeg -version` does not print:
// x265 logs it when it encodes (here one blank 64x64 frame).
absl::StatusOr<std::string> X265Version() {
  absl::StatusOr<std::string> log =
      RunTool({"ffmpeg", "-hide_banner", "-nostdin", "-f", "lavfi", "-i",
               "color=size=64x64", "-frames:v", "1", "-c:v", "libx265", "-f",
               "null", "-"},
              "ffmpeg");
  if (!log.ok()) return log.status();
  constexpr absl::string_view kMarker = "HEVC encoder version ";
  for (absl::string_view line : absl::StrSplit(*log, '\n')) {
    if (const size_t at = line.find(kMarker); at != absl::string_view::npos) {
      return std::string(
          absl::StripAsciiWhitespace(line.substr(at + kMarker.size())));
    }
  }
  return absl::InternalError("ffmpeg did not log a libx265 version");
}

}  // namespace

absl::StatusOr<BaselineCodec> ParseBaselineCodec(absl::string_view name) {
  for (const CodecSpec& spec : kSpecs) {
    if (name == spec.name) return spec.codec;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown codec '", name, "' (want jpeg, webp, avif, jxl or hevc)"));
}

absl::string_view BaselineCodecName(BaselineCodec codec) {
  return SpecFor(codec).name;
}

QualityScale BaselineQualityScale(BaselineCodec codec) {
  return SpecFor(codec).scale;
}

absl::StatusOr<BaselineResult> RunBaseline(BaselineCodec codec,
                                           const image::Image& source,
                                           int quality) {
  const CodecSpec& spec = SpecFor(codec);
  if (quality < spec.scale.min || quality > spec.scale.max) {
    return absl::InvalidArgumentError(
        absl::StrCat(spec.name, " quality ", quality, " outside ",
                     spec.scale.min, "..", spec.scale.max));
  }
  if (absl::Status s = image::ValidateImage(source); !s.ok()) return s;
  if (codec == BaselineCodec::kHevc &&
      (source.width % 2 != 0 || source.height % 2 != 0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "hevc codes 4:2:0, which x265 refuses for odd sizes such as ",
        source.width, "x", source.height));
  }
  absl::StatusOr<ScopedTempDir> dir = ScopedTempDir::Create("vlmc-baseline-");
  if (!dir.ok()) return dir.status();
  const Plan plan = MakePlan(codec, *dir, quality);
  const bool ppm = codec == BaselineCodec::kJpeg;
  absl::StatusOr<std::string> input_bytes =
      ppm ? EncodePpm(source) : image::EncodePng(source);
  if (!input_bytes.ok()) return input_bytes.status();
  if (absl::Status s = util::WriteFileAtomically(plan.input, *input_bytes);
      !s.ok()) {
    return s;
  }
  const auto start = std::chrono::steady_clock::now();
  if (absl::StatusOr<std::string> r = RunTool(plan.encode, spec.package);
      !r.ok()) {
    return r.status();
  }
  const auto encoded = std::chrono::steady_clock::now();
  absl::StatusOr<std::string> coded = util::ReadFile(plan.coded);
  if (!coded.ok()) return coded.status();
  const auto decode_start = std::chrono::steady_clock::now();
  if (absl::StatusOr<std::string> r = RunTool(plan.decode, spec.package);
      !r.ok()) {
    return r.status();
  }
  const auto decoded_at = std::chrono::steady_clock::now();
  absl::StatusOr<std::string> decoded_bytes = util::ReadFile(plan.decoded);
  if (!decoded_bytes.ok()) return decoded_bytes.status();

  absl::StatusOr<image::Image> decoded =
      ppm ? DecodePpm(*decoded_bytes) : image::DecodePng(*decoded_bytes);
  if (!decoded.ok()) return decoded.status();
  if (decoded->width != source.width || decoded->height != source.height) {
    return absl::InternalError(absl::StrCat(
        spec.decoder, " returned ", decoded->width, "x", decoded->height,
        " for a ", source.width, "x", source.height, " source"));
  }
  BaselineResult result;
  result.bytes = static_cast<int64_t>(coded->size());
  result.decoded = *std::move(decoded);
  result.encode_command = FormatCommandLine(plan.encode);
  result.decode_command = FormatCommandLine(plan.decode);
  result.work_dir = dir->path();
  result.encode_ms =
      std::chrono::duration<double, std::milli>(encoded - start).count();
  result.decode_ms =
      std::chrono::duration<double, std::milli>(decoded_at - decode_start)
          .count();
  return result;
}

absl::StatusOr<std::vector<std::string>> BaselineToolVersions(
    BaselineCodec codec) {
  const CodecSpec& spec = SpecFor(codec);
  std::vector<std::string> lines;
  std::vector<absl::string_view> tools = {spec.encoder};
  if (tools[0] != spec.decoder) tools.push_back(spec.decoder);
  for (absl::string_view tool : tools) {
    absl::StatusOr<std::string> out =
        RunTool({std::string(tool), spec.version_flag}, spec.package);
    if (!out.ok()) return out.status();
    absl::string_view text = absl::StripAsciiWhitespace(*out);
    // ffmpeg follows its version line with its build configuration.
    if (codec == BaselineCodec::kHevc) text = text.substr(0, text.find('\n'));
    lines.push_back(
        absl::StrCat(tool, ": ", absl::StrReplaceAll(text, {{"\n", "; "}})));
  }
  if (codec == BaselineCodec::kHevc) {
    absl::StatusOr<std::string> x265 = X265Version();
    if (!x265.ok()) return x265.status();
    lines.push_back(absl::StrCat("libx265: ", *x265));
  }
  return lines;
}

}  // namespace vlmc::bench
