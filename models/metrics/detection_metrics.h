#ifndef VLMC_MODELS_METRICS_DETECTION_METRICS_H_
#define VLMC_MODELS_METRICS_DETECTION_METRICS_H_

#include <map>
#include <vector>

#include "models/semantic/detection.h"

namespace vlmc::metrics {

// COCO-style box average precision, following pycocotools' COCOeval
// (evaluateImg + accumulate) for iouType "bbox", area range "all",
// maxDets 100, with no crowd or ignored boxes:
// - per image and class, detections are ranked by score (stable for ties)
//   and only the best 100 kept;
// - each detection, in rank order, is matched to the unmatched ground-truth
//   box of its class with the highest IoU >= threshold (a false positive if
//   there is none), so duplicates of one object count once;
// - detections of all images are pooled per class and ranked by score, the
//   precision curve is made monotone (each precision := the best precision at
//   any higher recall) and sampled at the 101 recalls 0, 0.01, ..., 1; AP is
//   the mean of those samples (0 where a recall is never reached);
// - mAP is the mean AP over the classes that have at least one ground-truth
//   box in the set. Classes that only appear in detections are left out
//   (pycocotools' -1), so false positives of such a class lower nothing.

// Ground truth and detections of one image, boxes in the same pixels.
// Ground-truth scores are ignored.
struct ImageDetections {
  std::vector<semantic::Detection> ground_truth;
  std::vector<semantic::Detection> detections;
};

// IoU of two boxes in continuous coordinates (no "+1" pixel convention, as
// pycocotools); 0 if they do not overlap or both are empty.
double BoxIou(const semantic::Detection& a, const semantic::Detection& b);

// The IoU thresholds 0.50, 0.55, ..., 0.95 with the exact values of
// pycocotools' np.linspace(.5, .95, 10).
std::vector<double> CocoIouThresholds();

// AP of one class at one IoU threshold; -1 if no image has a ground-truth
// box of that class.
double AveragePrecision(const std::vector<ImageDetections>& images,
                        int class_id, double iou_threshold);

struct DetectionMetrics {
  double map50 = -1;     // mAP at IoU 0.5
  double map50_95 = -1;  // mAP averaged over CocoIouThresholds()
  int num_classes = 0;   // classes with ground truth: the mean is over these
  std::map<int, double> ap50;     // per such class, AP at IoU 0.5
  std::map<int, double> ap50_95;  // per such class, AP over the thresholds
};

// Both mAPs over `images`; -1 (and no classes) if there is no ground truth.
DetectionMetrics EvaluateDetections(const std::vector<ImageDetections>& images);

// Pseudo ground truth: the detections a model makes on the uncompressed
// image with score >= min_score, used as ground truth for its detections on
// a compressed version of that image.
inline constexpr float kPseudoGroundTruthMinScore = 0.3f;
std::vector<semantic::Detection> PseudoGroundTruth(
    const std::vector<semantic::Detection>& detections,
    float min_score = kPseudoGroundTruthMinScore);

}  // namespace vlmc::metrics

#endif  // VLMC_MODELS_METRICS_DETECTION_METRICS_H_
