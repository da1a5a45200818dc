#ifndef VLMC_BENCH_RATE_ACCURACY_RESULTS_H_
#define VLMC_BENCH_RATE_ACCURACY_RESULTS_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "models/metrics/detection_metrics.h"

namespace vlmc::bench {

// The two detectors, in this order in every array below.
inline constexpr std::array<const char*, 2> kDetectorNames = {"centernet",
                                                              "nanodet"};

// One detector's detections on a reconstruction, paired with the labels and
// with its own confident detections on the original (pseudo ground truth).
struct DetectorOutcome {
  metrics::ImageDetections vs_labels;
  metrics::ImageDetections vs_pseudo;
};

// One image coded at one rate point.
struct PointRecord {
  std::string codec;
  double point = 0;  // The ladder entry (ladders.h).
  std::string image;
  int width = 0, height = 0;
  int64_t bytes = 0;
  double bpp = 0;
  double psnr = 0, ms_ssim = 0, token_cosine = 0, token_spectrum = 0;
  double encode_ms = 0, decode_ms = 0;
  std::array<DetectorOutcome, 2> detectors;  // kDetectorNames order.
};

// mAP of one detector over the images of one point; -1 where the images hold
// no ground-truth box.
struct DetectorAccuracy {
  double map50_labels = -1, map50_95_labels = -1;
  double map50_pseudo = -1, map50_95_pseudo = -1;
};

// Means over the images of one (codec, point), and the mAPs over them.
struct SummaryRow {
  std::string codec;
  double point = 0;
  int images = 0;
  double bpp = 0, psnr = 0, ms_ssim = 0, token_cosine = 0, token_spectrum = 0;
  double encode_ms = 0, decode_ms = 0;
  std::array<DetectorAccuracy, 2> detectors;
};

// Groups records by (codec, point) in order of first appearance.
std::vector<SummaryRow> Summarize(const std::vector<PointRecord>& records);

// CSV text, header row first:
// codec,point,image,width,height,bytes,bpp,psnr,ms_ssim,token_cosine,
// token_spectrum,centernet_detections,nanodet_detections,encode_ms,decode_ms
// (detections: how many with score >= 0.05).
std::string FormatRecordsCsv(const std::vector<PointRecord>& records);

// CSV text, header row first: codec,point,images,bpp,psnr,ms_ssim,
// token_cosine,token_spectrum, then per detector <name>_map50_labels,
// <name>_map50_95_labels, <name>_map50_pseudo, <name>_map50_95_pseudo, then
// encode_ms,decode_ms. RdPointsFromSummary (bench/rd_summary.h) reads any
// metric column of one codec's rows.
std::string FormatSummaryCsv(const std::vector<SummaryRow>& rows);

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_RATE_ACCURACY_RESULTS_H_
