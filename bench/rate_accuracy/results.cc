#include "bench/rate_accuracy/results.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/rate_accuracy/ladders.h"

namespace vlmc::bench {

std::vector<SummaryRow> Summarize(const std::vector<PointRecord>& records) {
  struct Group {
    SummaryRow row;
    std::array<std::vector<metrics::ImageDetections>, 2> vs_labels, vs_pseudo;
  };
  std::vector<Group> groups;
  for (const PointRecord& r : records) {
    Group* g = nullptr;
    for (Group& candidate : groups) {
      if (candidate.row.codec == r.codec && candidate.row.point == r.point) {
        g = &candidate;
      }
    }
    if (g == nullptr) {
      g = &groups.emplace_back();
      g->row.codec = r.codec;
      g->row.point = r.point;
    }
    SummaryRow& s = g->row;
    ++s.images;
    s.bpp += r.bpp;
    s.psnr += r.psnr;
    s.ms_ssim += r.ms_ssim;
    s.token_cosine += r.token_cosine;
    s.token_spectrum += r.token_spectrum;
    s.encode_ms += r.encode_ms;
    s.decode_ms += r.decode_ms;
    for (size_t d = 0; d < kDetectorNames.size(); ++d) {
      g->vs_labels[d].push_back(r.detectors[d].vs_labels);
      g->vs_pseudo[d].push_back(r.detectors[d].vs_pseudo);
    }
  }
  std::vector<SummaryRow> rows;
  for (Group& g : groups) {
    SummaryRow& s = g.row;
    const double n = s.images;
    for (double* mean : {&s.bpp, &s.psnr, &s.ms_ssim, &s.token_cosine,
                         &s.token_spectrum, &s.encode_ms, &s.decode_ms}) {
      *mean /= n;
    }
    for (size_t d = 0; d < kDetectorNames.size(); ++d) {
      const metrics::DetectionMetrics labels =
          metrics::EvaluateDetections(g.vs_labels[d]);
      const metrics::DetectionMetrics pseudo =
          metrics::EvaluateDetections(g.vs_pseudo[d]);
      s.detectors[d] = {labels.map50, labels.map50_95, pseudo.map50,
                        pseudo.map50_95};
    }
    rows.push_back(std::move(s));
  }
  return rows;
}

std::string FormatRecordsCsv(const std::vector<PointRecord>& records) {
  std::string csv =
      "codec,point,image,width,height,bytes,bpp,psnr,ms_ssim,token_cosine,"
      "token_spectrum,centernet_detections,nanodet_detections,encode_ms,"
      "decode_ms\n";
  for (const PointRecord& r : records) {
    absl::StrAppendFormat(
        &csv, "%s,%s,%s,%d,%d,%d,%.6f,%.4f,%.6f,%.6f,%.6f,%d,%d,%.2f,%.2f\n",
        r.codec, FormatPoint(r.point), r.image, r.width, r.height, r.bytes,
        r.bpp, r.psnr, r.ms_ssim, r.token_cosine, r.token_spectrum,
        r.detectors[0].vs_labels.detections.size(),
        r.detectors[1].vs_labels.detections.size(), r.encode_ms, r.decode_ms);
  }
  return csv;
}

std::string FormatSummaryCsv(const std::vector<SummaryRow>& rows) {
  std::string csv =
      "codec,point,images,bpp,psnr,ms_ssim,token_cosine,token_spectrum";
  for (const char* d : kDetectorNames) {
    absl::StrAppend(&csv, ",", d, "_map50_labels,", d, "_map50_95_labels,", d,
                    "_map50_pseudo,", d, "_map50_95_pseudo");
  }
  absl::StrAppend(&csv, ",encode_ms,decode_ms\n");
  for (const SummaryRow& s : rows) {
    absl::StrAppendFormat(&csv, "%s,%s,%d,%.6f,%.4f,%.6f,%.6f,%.6f", s.codec,
                          FormatPoint(s.point), s.images, s.bpp, s.psnr,
                          s.ms_ssim, s.token_cosine, s.token_spectrum);
    for (const DetectorAccuracy& a : s.detectors) {
      absl::StrAppendFormat(&csv, ",%.6f,%.6f,%.6f,%.6f", a.map50_labels,
                            a.map50_95_labels, a.map50_pseudo,
                            a.map50_95_pseudo);
    }
    absl::StrAppendFormat(&csv, ",%.2f,%.2f\n", s.encode_ms, s.decode_ms);
  }
  return csv;
}

}  // namespace vlmc::bench
