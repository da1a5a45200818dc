// vlmc-baseline-rd: rate-distortion points of a traditional codec (JPEG,
// WebP, AVIF, JPEG XL or HEVC intra through their command-line tools) on a
// directory of images.
//
//   vlmc-baseline-rd --images DIR --codec jpeg|webp|avif|jxl|hevc
//       --csv rows.csv [--qualities Q1,Q2,...] [--limit N]
//       [--summary-csv summary.csv]
//
// --help lists each codec's quality scale (the tool's own parameter).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "bench/baseline_codecs.h"
#include "bench/cli_args.h"
#include "bench/rd_summary.h"
#include "models/image/image_io.h"
#include "models/image/metrics.h"
#include "models/util/file_io.h"

namespace vlmc::bench {
namespace {

constexpr char kUsage[] =
    "usage: vlmc-baseline-rd --images DIR --codec jpeg|webp|avif|jxl|hevc\n"
    "         --csv OUT.csv [--qualities Q1,Q2,...] [--limit N]\n"
    "         [--summary-csv OUT.csv]   (--help for details)\n";

// Default ladders, lowest rate first. Mean bpp over the 24 Kodak images
// (768x512) spans about 0.10..1.8 (JPEG), 0.10..1.9 (WebP), 0.08..1.6 (AVIF),
// 0.14..1.7 (JPEG XL: cjxl goes no lower) and 0.07..1.6 (HEVC); JPEG at q3
// is ~21 dB already.
std::string DefaultQualities(BaselineCodec codec) {
  switch (codec) {
    case BaselineCodec::kJpeg:
      return "3,5,8,10,15,20,30,40,50,60,70,80,85";
    case BaselineCodec::kWebp:
      return "0,2,5,10,20,30,40,50,60,70,80,85,90";
    case BaselineCodec::kAvif:  // Steps of 4 in the quantizer.
      return "58,54,50,46,42,38,34,30,26,22,18,14";
    case BaselineCodec::kJxl:  // q5 is about cjxl's largest distance (25).
      return "5,10,15,20,30,40,50,60,70,80,85,90";
    case BaselineCodec::kHevc:  // QP steps of 3 (~1.4x the step size), then 2.
      return "45,42,39,36,33,30,27,24,22,20";
  }
  return "";
}

std::string HelpText() {
  std::string text = absl::StrCat(
      "vlmc-baseline-rd: rate-PSNR points of a traditional codec, run through\n"
      "its command-line tool, on every .png/.jpg image directly in a "
      "directory.\n\n",
      kUsage,
      "\n"
      "  --images DIR         source images (sorted by name)\n"
      "  --codec NAME         jpeg, webp, avif, jxl or hevc\n"
      "  --csv FILE           one row per image and setting\n"
      "  --summary-csv FILE   mean bpp and PSNR per setting (vlmc-bdrate "
      "input)\n"
      "  --limit N            only the first N images\n"
      "  --qualities LIST     comma-separated settings in each tool's own "
      "scale:\n");
  for (BaselineCodec codec : kAllBaselineCodecs) {
    const QualityScale scale = BaselineQualityScale(codec);
    absl::StrAppendFormat(&text, "      %-5s %d..%d: %s\n",
                          BaselineCodecName(codec), scale.min, scale.max,
                          scale.meaning);
    absl::StrAppend(&text, "            default ", DefaultQualities(codec),
                    "\n");
  }
  absl::StrAppend(
      &text,
      "\nbpp counts the whole coded file (for hevc the raw elementary stream);"
      "\nPSNR is RGB PSNR against the source. The CSV headers record the tool"
      "\nversions and the exact command lines.\n");
  return text;
}

// .png/.jpg/.jpeg files directly in `dir`, sorted by name.
absl::StatusOr<std::vector<std::filesystem::path>> ListImages(
    const std::string& dir) {
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) {
    return absl::NotFoundError(
        absl::StrCat("cannot list ", dir, ": ", ec.message()));
  }
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : it) {
    const std::string ext =
        absl::AsciiStrToLower(entry.path().extension().string());
    if (entry.is_regular_file() &&
        (ext == ".png" || ext == ".jpg" || ext == ".jpeg")) {
      paths.push_back(entry.path());
    }
  }
  std::sort(paths.begin(), paths.end(), [](const auto& a, const auto& b) {
    return a.filename() < b.filename();
  });
  if (paths.empty()) {
    return absl::NotFoundError(absl::StrCat("no .png/.jpg images in ", dir));
  }
  return paths;
}

std::string CommentLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) absl::StrAppend(&out, "# ", line, "\n");
  return out;
}

absl::Status Run(int argc, char** argv) {
  absl::StatusOr<std::map<std::string, std::string>> flags = ParseFlags(
      argc, argv,
      {"images", "codec", "qualities", "limit", "csv", "summary-csv"});
  if (!flags.ok()) return flags.status();
  for (const char* required : {"images", "codec", "csv"}) {
    if (flags->count(required) == 0) {
      return absl::InvalidArgumentError(absl::StrCat("missing --", required));
    }
  }
  absl::StatusOr<BaselineCodec> codec = ParseBaselineCodec(flags->at("codec"));
  if (!codec.ok()) return codec.status();
  const std::string codec_name(BaselineCodecName(*codec));
  const std::string qualities_text = flags->count("qualities")
                                         ? flags->at("qualities")
                                         : DefaultQualities(*codec);
  absl::StatusOr<std::vector<int>> qualities =
      ParseIntList(qualities_text, "--qualities");
  if (!qualities.ok()) return qualities.status();
  const QualityScale scale = BaselineQualityScale(*codec);
  for (int q : *qualities) {
    if (q < scale.min || q > scale.max) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--qualities: ", q, " is outside ", scale.min, "..", scale.max,
          " for ", codec_name, " (", scale.meaning, ")"));
    }
  }
  absl::StatusOr<std::vector<std::filesystem::path>> images =
      ListImages(flags->at("images"));
  if (!images.ok()) return images.status();
  if (flags->count("limit")) {
    int limit = 0;
    if (!absl::SimpleAtoi(flags->at("limit"), &limit) || limit <= 0) {
      return absl::InvalidArgumentError("--limit must be a positive integer");
    }
    if (static_cast<size_t>(limit) < images->size()) images->resize(limit);
  }
  absl::StatusOr<std::vector<std::string>> versions =
      BaselineToolVersions(*codec);
  if (!versions.ok()) return versions.status();

  std::vector<std::string> header = {
      absl::StrCat("vlmc-baseline-rd codec=", codec_name,
                   " images=", flags->at("images"), " count=", images->size(),
                   " qualities=", absl::StrJoin(*qualities, ",")),
      absl::StrCat("setting = ", scale.meaning),
      "bpp = bytes * 8 / (width * height); psnr = RGB PSNR vs the source "
      "(8-bit peak)"};
  header.insert(header.end(), versions->begin(), versions->end());
  std::vector<std::string> commands;  // From the first image; $WORK = mkdtemp.
  std::vector<RdRow> rows;
  for (size_t i = 0; i < images->size(); ++i) {
    const auto start = std::chrono::steady_clock::now();
    const std::string name = (*images)[i].filename().string();
    absl::StatusOr<image::Image> source =
        image::ReadImageFile((*images)[i].string());
    if (!source.ok()) return source.status();
    const double pixels = double{1} * source->width * source->height;
    std::vector<std::string> progress;
    for (int q : *qualities) {
      absl::StatusOr<BaselineResult> r = RunBaseline(*codec, *source, q);
      if (!r.ok()) {
        return absl::Status(
            r.status().code(),
            absl::StrCat(name, " q=", q, ": ", r.status().message()));
      }
      absl::StatusOr<double> psnr = image::Psnr(*source, r->decoded);
      if (!psnr.ok()) return psnr.status();
      if (!std::isfinite(*psnr)) {
        return absl::FailedPreconditionError(absl::StrCat(
            name, " q=", q, " decoded losslessly: PSNR is infinite"));
      }
      if (i == 0) {
        for (const std::string* cmd :
             {&r->encode_command, &r->decode_command}) {
          commands.push_back(absl::StrCat(
              "q=", q, ": ",
              absl::StrReplaceAll(*cmd, {{r->work_dir, "$WORK"}})));
        }
      }
      rows.push_back(
          {codec_name, name, q, r->bytes, r->bytes * 8 / pixels, *psnr});
      progress.push_back(
          absl::StrFormat("q%d %.3f/%.2f", q, rows.back().bpp, *psnr));
    }
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    absl::FPrintF(stderr, "[%d/%d] %s (%.1fs) bpp/psnr: %s\n", i + 1,
                  images->size(), name, secs, absl::StrJoin(progress, " "));
  }
  header.push_back(
      "commands (first image; $WORK is a fresh mkdtemp directory per call):");
  header.insert(header.end(), commands.begin(), commands.end());

  if (absl::Status s = util::WriteFileAtomically(
          flags->at("csv"), CommentLines(header) + FormatRowsCsv(rows));
      !s.ok()) {
    return s;
  }
  const std::vector<RdSummaryRow> summary = SummarizeBySetting(rows);
  if (flags->count("summary-csv")) {
    if (absl::Status s = util::WriteFileAtomically(
            flags->at("summary-csv"),
            CommentLines(header) + FormatSummaryCsv(summary));
        !s.ok()) {
      return s;
    }
  }
  absl::PrintF("%-6s %7s %6s %9s %9s\n", "codec", "setting", "images",
               "mean_bpp", "mean_psnr");
  for (const RdSummaryRow& s : summary) {
    absl::PrintF("%-6s %7d %6d %9.4f %9.3f\n", s.codec, s.setting, s.images,
                 s.bpp, s.psnr);
  }
  return absl::OkStatus();
}

}  // namespace
}  // namespace vlmc::bench

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 ||
        std::strcmp(argv[i], "-h") == 0) {
      std::fputs(vlmc::bench::HelpText().c_str(), stdout);
      return 0;
    }
  }
  const absl::Status status = vlmc::bench::Run(argc, argv);
  if (!status.ok()) {
    absl::FPrintF(stderr, "vlmc-baseline-rd: %s\n%s", status.ToString(),
                  vlmc::bench::kUsage);
    return 1;
  }
  return 0;
}
