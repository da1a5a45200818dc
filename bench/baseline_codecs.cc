#include "bench/baseline_codecs.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "bench/ppm.h"
#include "bench/subprocess.h"
#include "bench/temp_dir.h"
#include "models/image/png_codec.h"
#include "models/util/file_io.h"

namespace vlmc::bench {
namespace {

struct Tools {
  const char* encoder;
  const char* decoder;
  const char* package;  // Debian package providing both.
};

Tools ToolsFor(BaselineCodec codec) {
  switch (codec) {
    case BaselineCodec::kJpeg:
      return {"cjpeg", "djpeg", "libjpeg-turbo-progs"};
    case BaselineCodec::kWebp:
      return {"cwebp", "dwebp", "webp"};
  }
  return {"", "", ""};
}

// Files and command lines of one run inside a temporary directory.
struct Plan {
  std::string input, coded, decoded;
  std::vector<std::string> encode, decode;
};

Plan MakePlan(BaselineCodec codec, const ScopedTempDir& dir, int quality) {
  const Tools tools = ToolsFor(codec);
  const std::string q = absl::StrCat(quality);
  Plan p;
  if (codec == BaselineCodec::kJpeg) {
    p.input = dir.File("in.ppm");
    p.coded = dir.File("out.jpg");
    p.decoded = dir.File("dec.ppm");
    p.encode = {tools.encoder, "-quality", q,       "-sample", "2x2",
                "-optimize",   "-outfile", p.coded, p.input};
    p.decode = {tools.decoder, "-ppm", "-outfile", p.decoded, p.coded};
  } else {
    p.input = dir.File("in.png");
    p.coded = dir.File("out.webp");
    p.decoded = dir.File("dec.png");
    p.encode = {tools.encoder, "-quiet", "-q", q,      "-m",
                "6",           p.input,  "-o", p.coded};
    // PNG is dwebp's default output (1.2.x has no -png flag).
    p.decode = {tools.decoder, "-quiet", p.coded, "-o", p.decoded};
  }
  return p;
}

// Runs `argv`, turning a missing tool or a non-zero exit into an error.
absl::Status RunTool(const std::vector<std::string>& argv,
                     absl::string_view package) {
  if (!FindInPath(argv[0]).ok()) {
    return absl::NotFoundError(
        absl::StrCat(argv[0], " not found: install ", package));
  }
  absl::StatusOr<CommandResult> r = RunCommand(argv);
  if (!r.ok()) return r.status();
  if (r->exit_code != 0) {
    return absl::InternalError(
        absl::StrCat(FormatCommandLine(argv), " exited with ", r->exit_code,
                     ": ", absl::StripAsciiWhitespace(r->output)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<BaselineCodec> ParseBaselineCodec(absl::string_view name) {
  if (name == "jpeg") return BaselineCodec::kJpeg;
  if (name == "webp") return BaselineCodec::kWebp;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown codec '", name, "' (want jpeg or webp)"));
}

absl::string_view BaselineCodecName(BaselineCodec codec) {
  return codec == BaselineCodec::kJpeg ? "jpeg" : "webp";
}

absl::StatusOr<BaselineResult> RunBaseline(BaselineCodec codec,
                                           const image::Image& source,
                                           int quality) {
  if (quality < 0 || quality > 100) {
    return absl::InvalidArgumentError(
        absl::StrCat("quality ", quality, " outside 0..100"));
  }
  if (absl::Status s = image::ValidateImage(source); !s.ok()) return s;
  absl::StatusOr<ScopedTempDir> dir = ScopedTempDir::Create("vlmc-baseline-");
  if (!dir.ok()) return dir.status();
  const Tools tools = ToolsFor(codec);
  const Plan plan = MakePlan(codec, *dir, quality);
  absl::StatusOr<std::string> input_bytes = codec == BaselineCodec::kJpeg
                                                ? EncodePpm(source)
                                                : image::EncodePng(source);
  if (!input_bytes.ok()) return input_bytes.status();
  if (absl::Status s = util::WriteFileAtomically(plan.input, *input_bytes);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = RunTool(plan.encode, tools.package); !s.ok()) return s;
  absl::StatusOr<std::string> coded = util::ReadFile(plan.coded);
  if (!coded.ok()) return coded.status();
  if (absl::Status s = RunTool(plan.decode, tools.package); !s.ok()) return s;
  absl::StatusOr<std::string> decoded_bytes = util::ReadFile(plan.decoded);
  if (!decoded_bytes.ok()) return decoded_bytes.status();

  absl::StatusOr<image::Image> decoded = codec == BaselineCodec::kJpeg
                                             ? DecodePpm(*decoded_bytes)
                                             : image::DecodePng(*decoded_bytes);
  if (!decoded.ok()) return decoded.status();
  if (decoded->width != source.width || decoded->height != source.height) {
    return absl::InternalError(absl::StrCat(
        tools.decoder, " returned ", decoded->width, "x", decoded->height,
        " for a ", source.width, "x", source.height, " source"));
  }
  BaselineResult result;
  result.bytes = static_cast<int64_t>(coded->size());
  result.decoded = *std::move(decoded);
  result.encode_command = FormatCommandLine(plan.encode);
  result.decode_command = FormatCommandLine(plan.decode);
  result.work_dir = dir->path();
  return result;
}

absl::StatusOr<std::vector<std::string>> BaselineToolVersions(
    BaselineCodec codec) {
  const Tools tools = ToolsFor(codec);
  std::vector<std::string> lines;
  for (const char* tool : {tools.encoder, tools.decoder}) {
    if (!FindInPath(tool).ok()) {
      return absl::NotFoundError(
          absl::StrCat(tool, " not found: install ", tools.package));
    }
    absl::StatusOr<CommandResult> r = RunCommand({tool, "-version"});
    if (!r.ok()) return r.status();
    std::string version = absl::StrReplaceAll(
        absl::StripAsciiWhitespace(r->output), {{"\n", "; "}});
    lines.push_back(absl::StrCat(tool, ": ", version));
  }
  return lines;
}

}  // namespace vlmc::bench
