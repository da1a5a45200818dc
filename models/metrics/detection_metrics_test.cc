#include "models/metrics/detection_metrics.h"

#include <vector>

#include "gtest/gtest.h"

namespace vlmc::metrics {
namespace {

using semantic::Detection;

Detection Box(int class_id, float x0, float y0, float x1, float y1,
              float score = 1.0f) {
  Detection d;
  d.class_id = class_id;
  d.score = score;
  d.x0 = x0;
  d.y0 = y0;
  d.x1 = x1;
  d.y1 = y1;
  return d;
}

Detection Scored(Detection d, float score) {
  d.score = score;
  return d;
}

TEST(BoxIouTest, HandComputed) {
  const Detection a = Box(0, 0, 0, 2, 1);
  EXPECT_DOUBLE_EQ(BoxIou(a, a), 1.0);
  EXPECT_DOUBLE_EQ(BoxIou(a, Box(0, 1, 0, 3, 1)), 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(BoxIou(a, Box(0, 0, 0, 1, 1)), 0.5);
  EXPECT_EQ(BoxIou(a, Box(0, 2, 0, 3, 1)), 0.0);  // touching edges
  EXPECT_EQ(BoxIou(a, Box(0, 5, 5, 6, 6)), 0.0);
}

TEST(CocoIouThresholdsTest, TenStepsFromHalf) {
  const std::vector<double> t = CocoIouThresholds();
  ASSERT_EQ(t.size(), 10u);
  EXPECT_EQ(t.front(), 0.5);
  EXPECT_EQ(t.back(), 0.95);
  EXPECT_NEAR(t[5], 0.75, 1e-12);
}

TEST(DetectionMetricsTest, PerfectDetectionsScoreOne) {
  std::vector<ImageDetections> images(2);
  images[0].ground_truth = {Box(0, 10, 10, 50, 80), Box(1, 100, 20, 140, 60)};
  images[1].ground_truth = {Box(0, 5, 5, 25, 45)};
  for (ImageDetections& image : images) {
    for (const Detection& g : image.ground_truth) {
      image.detections.push_back(Scored(g, 0.7f));
    }
  }
  const DetectionMetrics m = EvaluateDetections(images);
  EXPECT_EQ(m.num_classes, 2);
  EXPECT_DOUBLE_EQ(m.map50, 1.0);
  EXPECT_DOUBLE_EQ(m.map50_95, 1.0);
}

TEST(DetectionMetricsTest, FalsePositiveRankedAboveTruePositive) {
  const Detection gt = Box(0, 0, 0, 10, 10);
  const Detection miss = Box(0, 50, 50, 60, 60);
  std::vector<ImageDetections> images(1);
  images[0].ground_truth = {gt};
  // Ranked FP, TP: recall (0, 1), precision (0, 1/2), made monotone
  // (1/2, 1/2): every recall sample reads 1/2.
  images[0].detections = {Scored(gt, 0.8f), Scored(miss, 0.9f)};
  EXPECT_NEAR(AveragePrecision(images, 0, 0.5), 0.5, 1e-12);
  // Ranked TP, FP: precision 1 at recall 1 already.
  images[0].detections = {Scored(gt, 0.9f), Scored(miss, 0.8f)};
  EXPECT_NEAR(AveragePrecision(images, 0, 0.5), 1.0, 1e-12);
}

TEST(DetectionMetricsTest, DuplicateDetectionIsFalsePositive) {
  const Detection a = Box(0, 0, 0, 10, 10);
  const Detection b = Box(0, 20, 0, 30, 10);
  std::vector<ImageDetections> images(1);
  images[0].ground_truth = {a, b};
  images[0].detections = {Scored(a, 0.9f), Scored(a, 0.8f), Scored(b, 0.7f)};
  // Ranked TP, duplicate (FP), TP: recall (.5, .5, 1), precision
  // (1, 1/2, 2/3) -> monotone (1, 2/3, 2/3). Recalls 0..0.50 (51 samples)
  // read 1, recalls 0.51..1 (50 samples) read 2/3.
  EXPECT_NEAR(AveragePrecision(images, 0, 0.5), (51 + 50 * 2.0 / 3) / 101,
              1e-12);
}

TEST(DetectionMetricsTest, ClassMismatchIsNotAMatch) {
  std::vector<ImageDetections> images(1);
  images[0].ground_truth = {Box(0, 0, 0, 10, 10)};
  images[0].detections = {Box(1, 0, 0, 10, 10, 0.9f)};
  // Class 0 has ground truth but no detection: AP 0. Class 1 has no ground
  // truth: it is left out of the mean rather than counted.
  EXPECT_EQ(AveragePrecision(images, 0, 0.5), 0.0);
  EXPECT_EQ(AveragePrecision(images, 1, 0.5), -1.0);
  const DetectionMetrics m = EvaluateDetections(images);
  EXPECT_EQ(m.num_classes, 1);
  EXPECT_EQ(m.map50, 0.0);
  EXPECT_EQ(m.map50_95, 0.0);
  EXPECT_EQ(m.ap50.count(1), 0u);
}

TEST(DetectionMetricsTest, EveryGroundTruthBoxCountsOnce) {
  // No crowd boxes: a large box absorbs one detection; a second detection
  // inside it is a false positive (pycocotools would ignore it for a crowd
  // box and score 1).
  std::vector<ImageDetections> images(1);
  images[0].ground_truth = {Box(0, 0, 0, 100, 100), Box(0, 200, 0, 210, 10)};
  images[0].detections = {Box(0, 0, 10, 100, 100, 0.95f),
                          Box(0, 0, 0, 100, 90, 0.9f),
                          Box(0, 200, 0, 210, 10, 0.8f)};
  EXPECT_NEAR(AveragePrecision(images, 0, 0.5), (51 + 50 * 2.0 / 3) / 101,
              1e-12);
  // At IoU 0.95 the two large detections (IoU 0.9) match nothing: ranked
  // FP, FP, TP gives precision 1/3 up to recall 1/2.
  EXPECT_NEAR(AveragePrecision(images, 0, 0.95), 51.0 / 3 / 101, 1e-12);
}

TEST(DetectionMetricsTest, DetectionsArePooledAcrossImagesByScore) {
  std::vector<ImageDetections> images(2);
  images[0].ground_truth = {Box(0, 0, 0, 10, 10)};
  images[0].detections = {Box(0, 0, 0, 10, 10, 0.6f)};
  images[1].ground_truth = {Box(0, 0, 0, 10, 10)};
  images[1].detections = {Box(0, 40, 40, 50, 50, 0.9f)};
  // Ranked FP (image 1), TP (image 0): recall (0, .5), precision (0, .5)
  // -> (.5, .5); recalls 0..0.5 read 1/2, higher recalls are never reached.
  EXPECT_NEAR(AveragePrecision(images, 0, 0.5), 51 * 0.5 / 101, 1e-12);
}

TEST(DetectionMetricsTest, IouEqualToThresholdMatches) {
  std::vector<ImageDetections> images(1);
  images[0].ground_truth = {Box(0, 0, 0, 2, 1)};
  images[0].detections = {Box(0, 0, 0, 1, 1, 0.5f)};  // IoU exactly 0.5
  EXPECT_NEAR(AveragePrecision(images, 0, 0.5), 1.0, 1e-12);
  EXPECT_EQ(AveragePrecision(images, 0, 0.55), 0.0);
}

TEST(DetectionMetricsTest, KeepsBestHundredDetectionsPerImageAndClass) {
  std::vector<ImageDetections> images(1);
  images[0].ground_truth = {Box(0, 0, 0, 10, 10)};
  for (int i = 0; i < 100; ++i) {
    images[0].detections.push_back(Box(0, 50, 50, 60, 60, 0.9f));
  }
  images[0].detections.push_back(Box(0, 0, 0, 10, 10, 0.5f));
  // The true positive is the 101st: dropped, as pycocotools' maxDets=100.
  EXPECT_EQ(AveragePrecision(images, 0, 0.5), 0.0);
  images[0].detections.erase(images[0].detections.begin());
  EXPECT_NEAR(AveragePrecision(images, 0, 0.5), 1.0 / 100, 1e-12);
}

TEST(DetectionMetricsTest, NoGroundTruthGivesMinusOne) {
  std::vector<ImageDetections> images(1);
  images[0].detections = {Box(0, 0, 0, 10, 10, 0.9f)};
  const DetectionMetrics m = EvaluateDetections(images);
  EXPECT_EQ(m.num_classes, 0);
  EXPECT_EQ(m.map50, -1.0);
  EXPECT_EQ(m.map50_95, -1.0);
}

// torchmetrics' MeanAveragePrecision documentation example (pycocotools
// backend) prints map 0.6, map_50 1.0, map_75 1.0. By hand: IoU =
// 304 * 244 / (392 * 244) = 0.776, a match at the six thresholds
// 0.50..0.75 and not at 0.80..0.95, so mAP@[.5:.95] = 6 / 10.
TEST(DetectionMetricsTest, TorchmetricsDocumentationExample) {
  std::vector<ImageDetections> images(1);
  images[0].ground_truth = {Box(0, 214, 41, 562, 285)};
  images[0].detections = {Box(0, 258, 41, 606, 285, 0.536f)};
  const DetectionMetrics m = EvaluateDetections(images);
  EXPECT_DOUBLE_EQ(m.map50, 1.0);
  EXPECT_NEAR(m.map50_95, 0.6, 1e-12);
}

// Values printed by pycocotools' COCOeval for a subset of cocoapi's
// results/instances_val2014_fakebbox100_results.json (boxes as xyxy), quoted
// to 3 decimals in torchmetrics' tests/detection/test_map.py (v0.7):
// AP@[.5:.95] 0.706, AP@.5 0.901, per class 0.725, 0.800, 0.454, -1, 0.650,
// 0.900. Image 133's detection has one box; its score does not change AP.
TEST(DetectionMetricsTest, MatchesPycocotoolsOnCocoSubset) {
  std::vector<ImageDetections> images(4);
  images[0].detections = {Box(4, 258.15, 41.29, 606.41, 285.07, 0.236)};
  images[0].ground_truth = {Box(4, 214.15, 41.29, 562.41, 285.07)};
  images[1].detections = {Box(3, 61.00, 22.75, 565.00, 632.42, 0.318),
                          Box(2, 12.66, 3.32, 281.26, 275.23, 0.726)};
  images[1].ground_truth = {Box(2, 13.00, 22.75, 548.98, 632.42),
                            Box(2, 1.66, 3.32, 270.26, 275.23)};
  images[2].detections = {Box(4, 87.87, 276.25, 384.29, 379.43, 0.546),
                          Box(1, 0.00, 3.66, 142.15, 316.06, 0.3),
                          Box(0, 296.55, 93.96, 314.97, 152.79, 0.407),
                          Box(0, 328.94, 97.05, 342.49, 122.98, 0.611),
                          Box(0, 356.62, 95.47, 372.33, 147.55, 0.335),
                          Box(0, 464.08, 105.09, 495.74, 146.99, 0.805),
                          Box(0, 276.11, 103.84, 291.44, 150.72, 0.953)};
  images[2].ground_truth = {Box(4, 61.87, 276.25, 358.29, 379.43),
                            Box(1, 2.75, 3.66, 162.15, 316.06),
                            Box(0, 295.55, 93.96, 313.97, 152.79),
                            Box(0, 326.94, 97.05, 340.49, 122.98),
                            Box(0, 356.62, 95.47, 372.33, 147.55),
                            Box(0, 462.08, 105.09, 493.74, 146.99),
                            Box(0, 277.11, 103.84, 292.44, 150.72)};
  images[3].detections = {Box(5, 0.00, 2.87, 601.00, 421.52, 0.699)};
  images[3].ground_truth = {Box(5, 13.99, 2.87, 640.00, 421.52)};

  const DetectionMetrics m = EvaluateDetections(images);
  constexpr double kRounding = 5e-4;  // the reference has 3 decimals
  EXPECT_EQ(m.num_classes, 5);
  EXPECT_NEAR(m.map50_95, 0.706, kRounding);
  EXPECT_NEAR(m.map50, 0.901, kRounding);
  EXPECT_NEAR(m.ap50_95.at(0), 0.725, kRounding);
  EXPECT_NEAR(m.ap50_95.at(1), 0.800, kRounding);
  EXPECT_NEAR(m.ap50_95.at(2), 0.454, kRounding);
  EXPECT_EQ(m.ap50_95.count(3), 0u);
  EXPECT_NEAR(m.ap50_95.at(4), 0.650, kRounding);
  EXPECT_NEAR(m.ap50_95.at(5), 0.900, kRounding);
  double ap75_sum = 0;
  for (int c : {0, 1, 2, 4, 5}) ap75_sum += AveragePrecision(images, c, 0.75);
  EXPECT_NEAR(ap75_sum / 5, 0.846, kRounding);
}

TEST(PseudoGroundTruthTest, KeepsScoresAtOrAboveThreshold) {
  const std::vector<Detection> dets = {Box(0, 0, 0, 1, 1, 0.29f),
                                       Box(1, 0, 0, 1, 1, 0.3f),
                                       Box(2, 0, 0, 1, 1, 0.9f)};
  const std::vector<Detection> gt = PseudoGroundTruth(dets);
  ASSERT_EQ(gt.size(), 2u);
  EXPECT_EQ(gt[0].class_id, 1);
  EXPECT_EQ(gt[1].class_id, 2);
  EXPECT_EQ(PseudoGroundTruth(dets, 0.95f).size(), 0u);
}

}  // namespace
}  // namespace vlmc::metrics
