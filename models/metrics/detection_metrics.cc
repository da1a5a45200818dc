#include "models/metrics/detection_metrics.h"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <set>

namespace vlmc::metrics {
namespace {

using semantic::Detection;

// pycocotools' params.maxDets[-1]: detections kept per image and class.
constexpr size_t kMaxDetections = 100;

// np.linspace(start, stop, num): i * step + start, the last value exact.
std::vector<double> Linspace(double start, double stop, int num) {
  std::vector<double> values(num);
  const double step = (stop - start) / (num - 1);
  for (int i = 0; i < num; ++i) values[i] = i * step + start;
  values[num - 1] = stop;
  return values;
}

// One image's boxes of one class: detections ranked by score and the IoU of
// each with each ground-truth box (row = detection).
struct ClassImage {
  std::vector<float> scores;
  size_t num_gt = 0;
  std::vector<double> iou;
};

std::vector<ClassImage> Gather(const std::vector<ImageDetections>& images,
                               int class_id, size_t* num_gt) {
  std::vector<ClassImage> gathered;
  *num_gt = 0;
  for (const ImageDetections& image : images) {
    std::vector<const Detection*> gts, dets;
    for (const Detection& g : image.ground_truth) {
      if (g.class_id == class_id) gts.push_back(&g);
    }
    for (const Detection& d : image.detections) {
      if (d.class_id == class_id) dets.push_back(&d);
    }
    if (gts.empty() && dets.empty()) continue;
    std::stable_sort(dets.begin(), dets.end(),
                     [](const Detection* a, const Detection* b) {
                       return a->score > b->score;
                     });
    if (dets.size() > kMaxDetections) dets.resize(kMaxDetections);
    ClassImage ci;
    ci.num_gt = gts.size();
    for (const Detection* d : dets) {
      ci.scores.push_back(d->score);
      for (const Detection* g : gts) ci.iou.push_back(BoxIou(*d, *g));
    }
    *num_gt += gts.size();
    gathered.push_back(std::move(ci));
  }
  return gathered;
}

double ApAtThreshold(const std::vector<ClassImage>& gathered, size_t num_gt,
                     double threshold) {
  struct Ranked {
    float score;
    bool true_positive;
  };
  std::vector<Ranked> ranked;
  for (const ClassImage& ci : gathered) {
    std::vector<bool> taken(ci.num_gt, false);
    for (size_t d = 0; d < ci.scores.size(); ++d) {
      // As pycocotools: the best IoU so far starts at the threshold, and a
      // later ground-truth box with an equal IoU wins the tie.
      double best = std::min(threshold, 1 - 1e-10);
      int match = -1;
      for (size_t g = 0; g < ci.num_gt; ++g) {
        if (taken[g]) continue;
        const double iou = ci.iou[d * ci.num_gt + g];
        if (iou < best) continue;
        best = iou;
        match = static_cast<int>(g);
      }
      if (match >= 0) taken[match] = true;
      ranked.push_back({ci.scores[d], match >= 0});
    }
  }
  std::stable_sort(
      ranked.begin(), ranked.end(),
      [](const Ranked& a, const Ranked& b) { return a.score > b.score; });

  const size_t n = ranked.size();
  std::vector<double> recall(n), precision(n);
  double tp = 0, fp = 0;
  for (size_t i = 0; i < n; ++i) {
    (ranked[i].true_positive ? tp : fp) += 1;
    recall[i] = tp / num_gt;
    precision[i] = tp / (tp + fp + std::numeric_limits<double>::epsilon());
  }
  for (size_t i = n; i-- > 1;) {
    precision[i - 1] = std::max(precision[i - 1], precision[i]);
  }
  static const std::vector<double> kRecalls = Linspace(0.0, 1.0, 101);
  double sum = 0;
  for (double r : kRecalls) {
    // np.searchsorted(recall, r, side="left"): first recall >= r.
    const auto it = std::lower_bound(recall.begin(), recall.end(), r);
    if (it != recall.end()) sum += precision[it - recall.begin()];
  }
  return sum / kRecalls.size();
}

}  // namespace

double BoxIou(const Detection& a, const Detection& b) {
  const double w = std::min<double>(a.x1, b.x1) - std::max<double>(a.x0, b.x0);
  const double h = std::min<double>(a.y1, b.y1) - std::max<double>(a.y0, b.y0);
  if (w <= 0 || h <= 0) return 0.0;
  const double inter = w * h;
  const double area_a = (double(a.x1) - a.x0) * (double(a.y1) - a.y0);
  const double area_b = (double(b.x1) - b.x0) * (double(b.y1) - b.y0);
  return inter / (area_a + area_b - inter);
}

std::vector<double> CocoIouThresholds() { return Linspace(0.5, 0.95, 10); }

double AveragePrecision(const std::vector<ImageDetections>& images,
                        int class_id, double iou_threshold) {
  size_t num_gt = 0;
  const std::vector<ClassImage> gathered = Gather(images, class_id, &num_gt);
  if (num_gt == 0) return -1.0;
  return ApAtThreshold(gathered, num_gt, iou_threshold);
}

DetectionMetrics EvaluateDetections(
    const std::vector<ImageDetections>& images) {
  std::set<int> classes;
  for (const ImageDetections& image : images) {
    for (const Detection& g : image.ground_truth) classes.insert(g.class_id);
  }
  DetectionMetrics metrics;
  if (classes.empty()) return metrics;
  const std::vector<double> thresholds = CocoIouThresholds();
  double sum50 = 0, sum50_95 = 0;
  for (int class_id : classes) {
    size_t num_gt = 0;
    const std::vector<ClassImage> gathered = Gather(images, class_id, &num_gt);
    double sum = 0;
    for (double t : thresholds) {
      const double ap = ApAtThreshold(gathered, num_gt, t);
      if (t == 0.5) metrics.ap50[class_id] = ap;
      sum += ap;
    }
    metrics.ap50_95[class_id] = sum / thresholds.size();
    sum50 += metrics.ap50[class_id];
    sum50_95 += metrics.ap50_95[class_id];
  }
  metrics.num_classes = static_cast<int>(classes.size());
  metrics.map50 = sum50 / classes.size();
  metrics.map50_95 = sum50_95 / classes.size();
  return metrics;
}

std::vector<Detection> PseudoGroundTruth(
    const std::vector<Detection>& detections, float min_score) {
  std::vector<Detection> kept;
  for (const Detection& d : detections) {
    if (d.score >= min_score) kept.push_back(d);
  }
  return kept;
}

}  // namespace vlmc::metrics
