// vlmc-baseline-rd: rate-distortion points of a traditional codec (JPEG or
// WebP through cjpeg/cwebp) on a directory of images.
//
//   vlmc-baseline-rd --images DIR --codec jpeg|webp --csv rows.csv
//       [--qualities 5,10,...] [--limit N] [--summary-csv summary.csv]

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
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
    "usage: vlmc-baseline-rd --images DIR --codec jpeg|webp --csv OUT.csv\n"
    "         [--qualities Q1,Q2,...] [--limit N] [--summary-csv OUT.csv]\n";

// Default ladders: mean bpp over the 24 Kodak images (768x512) spans about
// 0.10..1.8 (JPEG) and 0.10..1.9 (WebP); JPEG at q3 is ~21 dB already.
constexpr char kJpegQualities[] = "3,5,8,10,15,20,30,40,50,60,70,80,85";
constexpr char kWebpQualities[] = "0,2,5,10,20,30,40,50,60,70,80,85,90";

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
  std::string qualities_text =
      *codec == BaselineCodec::kJpeg ? kJpegQualities : kWebpQualities;
  if (flags->count("qualities")) qualities_text = flags->at("qualities");
  absl::StatusOr<std::vector<int>> qualities =
      ParseIntList(qualities_text, "--qualities");
  if (!qualities.ok()) return qualities.status();
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
  const absl::Status status = vlmc::bench::Run(argc, argv);
  if (!status.ok()) {
    absl::FPrintF(stderr, "vlmc-baseline-rd: %s\n%s", status.ToString(),
                  vlmc::bench::kUsage);
    return 1;
  }
  return 0;
}
