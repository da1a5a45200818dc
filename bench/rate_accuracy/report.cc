#include "bench/rate_accuracy/report.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "bench/rate_accuracy/ladders.h"
#include "bench/rate_accuracy/progress.h"

namespace vlmc::bench {
namespace {

constexpr std::array<const char*, 2> kDetectorTitles = {"CenterNet", "NanoDet"};

ReportMetric DetectorMetric(int detector, bool pseudo) {
  return {absl::StrCat(kDetectorNames[detector], "_map50_",
                       pseudo ? "pseudo" : "labels"),
          absl::StrCat(kDetectorTitles[detector], " mAP@0.5 vs ",
                       pseudo ? "pseudo-GT" : "labels"),
          [detector, pseudo](const SummaryRow& row) {
            const DetectorAccuracy& a = row.detectors[detector];
            return pseudo ? a.map50_pseudo : a.map50_labels;
          }};
}

std::vector<std::string> CodecsInOrder(const std::vector<SummaryRow>& rows) {
  std::vector<std::string> codecs;
  for (const SummaryRow& r : rows) {
    if (std::find(codecs.begin(), codecs.end(), r.codec) == codecs.end()) {
      codecs.push_back(r.codec);
    }
  }
  return codecs;
}

struct CodecMeans {
  double bpp_min = 0, bpp_max = 0, encode_ms = 0, decode_ms = 0;
};

CodecMeans MeansOf(const std::vector<SummaryRow>& rows,
                   absl::string_view codec) {
  CodecMeans m;
  double images = 0;
  bool first = true;
  for (const SummaryRow& r : rows) {
    if (r.codec != codec) continue;
    m.bpp_min = first ? r.bpp : std::min(m.bpp_min, r.bpp);
    m.bpp_max = first ? r.bpp : std::max(m.bpp_max, r.bpp);
    first = false;
    m.encode_ms += r.encode_ms * r.images;
    m.decode_ms += r.decode_ms * r.images;
    images += r.images;
  }
  if (images > 0) {
    m.encode_ms /= images;
    m.decode_ms /= images;
  }
  return m;
}

std::string Map(double v) { return v < 0 ? "-" : absl::StrFormat("%.3f", v); }

// A BD-rate table cell, and the reason where it holds none.
std::string BdCell(const std::vector<SummaryRow>& rows,
                   const std::string& baseline, const ReportMetric& metric,
                   std::vector<std::string>* notes) {
  absl::StatusOr<CodecBd> bd = CodecBdRate(rows, baseline, kVlmcCodec, metric);
  if (bd.ok()) {
    return absl::StrFormat("%+.1f %%%s", bd->percent,
                           bd->dropped > 0 ? " †" : "");
  }
  const int note = static_cast<int>(notes->size()) + 1;
  notes->push_back(absl::StrFormat("%d. %s, %s: %s", note, baseline,
                                   metric.title, bd.status().message()));
  return absl::StrFormat(
      "%s [%d]", absl::IsFailedPrecondition(bd.status()) ? "no overlap" : "n/a",
      note);
}

void AppendBdTable(const std::vector<SummaryRow>& rows,
                   const std::vector<std::string>& baselines, std::string* md) {
  absl::StrAppend(
      md,
      "## BD-rate of vlmc against each baseline\n\n"
      "Mean bit-rate difference of vlmc at equal quality (Bjøntegaard, "
      "PCHIP over log bpp, on the overlapping quality range; negative: vlmc "
      "needs fewer bits). mAP against pseudo ground truth scores each "
      "detector against its own detections with score >= 0.3 on the "
      "uncompressed image. †: points no better than a cheaper point of the "
      "same codec (mAP is noisy on a few dozen images and saturates near 1 "
      "against pseudo ground truth) were left out of that curve.\n\n| vs |");
  std::string rule = "|---|";
  for (const ReportMetric& m : ReportMetrics()) {
    absl::StrAppend(md, " ", m.title, " |");
    absl::StrAppend(&rule, "---|");
  }
  absl::StrAppend(md, "\n", rule, "\n");
  std::vector<std::string> notes;
  for (const std::string& baseline : baselines) {
    absl::StrAppend(md, "| ", baseline, " |");
    for (const ReportMetric& m : ReportMetrics()) {
      absl::StrAppend(md, " ", BdCell(rows, baseline, m, &notes), " |");
    }
    absl::StrAppend(md, "\n");
  }
  if (!notes.empty()) {
    absl::StrAppend(md, "\nWhere no number is given:\n\n",
                    absl::StrJoin(notes, "\n"), "\n");
  }
  absl::StrAppend(md, "\n");
}

void AppendSpeedTable(const std::vector<SummaryRow>& rows,
                      const std::vector<std::string>& codecs, bool with_vlmc,
                      const ReportContext& context, std::string* md) {
  absl::StrAppendFormat(
      md,
      "## Speed\n\n"
      "Mean wall time per image over all points, measured in the same run "
      "(%d job(s) in parallel, LibTorch threads per job: %s). vlmc runs in "
      "process (Codec::Compress / Decompress); the baselines are their "
      "command-line tools, single-threaded, timed from process start to exit "
      "(reading and writing their files included).\n\n",
      context.jobs,
      context.threads > 0 ? absl::StrCat(context.threads)
                          : "LibTorch's default");
  const CodecMeans vlmc = MeansOf(rows, kVlmcCodec);
  absl::StrAppend(md, "| codec | mean bpp range | encode ms | decode ms |");
  if (with_vlmc) absl::StrAppend(md, " encode / vlmc | decode / vlmc |");
  absl::StrAppend(md, "\n|---|---|---|---|", with_vlmc ? "---|---|" : "", "\n");
  for (const std::string& codec : codecs) {
    const CodecMeans m = MeansOf(rows, codec);
    absl::StrAppendFormat(md, "| %s | %.2f–%.2f | %.1f | %.1f |", codec,
                          m.bpp_min, m.bpp_max, m.encode_ms, m.decode_ms);
    if (with_vlmc) {
      absl::StrAppendFormat(md, " %.3f | %.3f |", m.encode_ms / vlmc.encode_ms,
                            m.decode_ms / vlmc.decode_ms);
    }
    absl::StrAppend(md, "\n");
  }
  absl::StrAppend(md, "\n");
}

void AppendPointTable(const std::vector<SummaryRow>& rows, std::string* md) {
  absl::StrAppend(
      md,
      "## Every point\n\n"
      "Means over the images (mAP@0.5: over the images' pooled detections; "
      "L: vs labels, P: vs pseudo-GT). `summary.csv` has these and the "
      "mAP@[.5:.95]; `per_image.csv` every image.\n\n"
      "| codec | point | bpp | PSNR dB | MS-SSIM | token cos | token spectrum "
      "| CenterNet L | CenterNet P | NanoDet L | NanoDet P | enc ms | dec ms "
      "|\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (const SummaryRow& r : rows) {
    absl::StrAppendFormat(
        md,
        "| %s | %s | %.3f | %.2f | %.4f | %.4f | %.4f | %s | %s | %s | %s "
        "| %.1f | %.1f |\n",
        r.codec, FormatPoint(r.point), r.bpp, r.psnr, r.ms_ssim, r.token_cosine,
        r.token_spectrum, Map(r.detectors[0].map50_labels),
        Map(r.detectors[0].map50_pseudo), Map(r.detectors[1].map50_labels),
        Map(r.detectors[1].map50_pseudo), r.encode_ms, r.decode_ms);
  }
}

}  // namespace

const std::vector<ReportMetric>& ReportMetrics() {
  static const std::vector<ReportMetric>* metrics =
      new std::vector<ReportMetric>{
          DetectorMetric(0, true),
          DetectorMetric(0, false),
          DetectorMetric(1, true),
          DetectorMetric(1, false),
          {"token_cosine", "token cosine",
           [](const SummaryRow& r) { return r.token_cosine; }},
          {"psnr", "PSNR", [](const SummaryRow& r) { return r.psnr; }},
          {"ms_ssim", "MS-SSIM", [](const SummaryRow& r) { return r.ms_ssim; }},
      };
  return *metrics;
}

absl::StatusOr<CodecBd> CodecBdRate(const std::vector<SummaryRow>& rows,
                                    absl::string_view reference,
                                    absl::string_view test,
                                    const ReportMetric& metric) {
  std::vector<RdPoint> ref, tst;
  for (const SummaryRow& r : rows) {
    if (r.codec == reference) ref.push_back({r.bpp, metric.value(r)});
    if (r.codec == test) tst.push_back({r.bpp, metric.value(r)});
  }
  ParetoCurve ref_front = ParetoFront(std::move(ref));
  ParetoCurve test_front = ParetoFront(std::move(tst));
  absl::StatusOr<double> bd =
      BdRate(std::move(ref_front.kept), std::move(test_front.kept));
  if (!bd.ok()) {
    // BdRate calls its curves "reference" and "test".
    return absl::Status(
        bd.status().code(),
        absl::StrReplaceAll(bd.status().message(),
                            {{"reference", reference}, {"test", test}}));
  }
  return CodecBd{*bd, ref_front.dropped + test_front.dropped};
}

std::string FormatResultsMarkdown(const std::vector<SummaryRow>& rows,
                                  const ReportContext& context) {
  const std::vector<std::string> codecs = CodecsInOrder(rows);
  std::vector<std::string> baselines;
  for (const std::string& c : codecs) {
    if (c != kVlmcCodec) baselines.push_back(c);
  }
  const bool with_vlmc = baselines.size() < codecs.size();
  std::string md = absl::StrFormat(
      "# Rate–accuracy on COCO\n\n"
      "Made by `%s` in %s: %d images (%s), each coded by %s at the points "
      "below. The detectors and the token model see the decoded images; "
      "every image is cropped to even width and height first (x265 codes "
      "4:2:0 only there).\n\n"
      "Uncompressed: CenterNet mAP@0.5 %s (@[.5:.95] %s), NanoDet mAP@0.5 "
      "%s (@[.5:.95] %s) vs the labels.\n\n",
      context.command, FormatDuration(context.wall_seconds), context.images,
      context.image_set, absl::StrJoin(codecs, ", "),
      Map(context.uncompressed_map50[0]), Map(context.uncompressed_map50_95[0]),
      Map(context.uncompressed_map50[1]),
      Map(context.uncompressed_map50_95[1]));
  if (with_vlmc && !baselines.empty()) AppendBdTable(rows, baselines, &md);
  AppendSpeedTable(rows, codecs, with_vlmc, context, &md);
  absl::StrAppend(&md,
                  "## Plots\n\n"
                  "![CenterNet mAP vs bpp](map_centernet.png)\n"
                  "![NanoDet mAP vs bpp](map_nanodet.png)\n"
                  "![PSNR vs bpp](psnr.png)\n"
                  "![token cosine vs bpp](token_cosine.png)\n\n");
  AppendPointTable(rows, &md);
  return md;
}

}  // namespace vlmc::bench
