#ifndef VLMC_MODELS_SEMANTIC_DECODE_H_
#define VLMC_MODELS_SEMANTIC_DECODE_H_

#include <torch/torch.h>

#include <vector>

#include "absl/status/statusor.h"
#include "models/semantic/detection.h"

namespace vlmc::semantic {

// Output decoding of the two detectors, in the pixels of the graph input.
// All return detections with score >= score_threshold, best first.

// CenterNet's `tower_0/detections` ([1, K, 6] or [K, 6]; rows [x0, y0, x1,
// y1, score, class] in input pixels): the graph already did CenterNet's peak
// NMS and top-K, so this only thresholds and clips boxes to the input.
std::vector<Detection> DecodeCenterNet(const torch::Tensor& rows,
                                       float score_threshold, float input_w,
                                       float input_h);

// NanoDet's GFL head (nanodet GFLHead.get_bboxes, legacy v0.x).
struct GflConfig {
  std::vector<int> strides = {8, 16, 32};
  int reg_max = 10;                  // Distance bins per side: reg_max + 1.
  int input_w = 416, input_h = 416;  // Grid = input / stride; box clip.
  int pre_nms_per_level = 1000;      // Best anchors (by max class score).
  float nms_iou = 0.6f;              // Per-class NMS: IoU > this is dropped.
  size_t max_detections = 100;
};

// scores[l]: [N_l, classes] sigmoid scores, distributions[l]: [N_l, 4 *
// (reg_max + 1)] logits (sides l, t, r, b), anchor index y * W + x of level l.
// Centre ((x + 0.5) s, (y + 0.5) s); distance = sum_i i softmax(logits)_i * s.
absl::StatusOr<std::vector<Detection>> DecodeGfl(
    const std::vector<torch::Tensor>& scores,
    const std::vector<torch::Tensor>& distributions, float score_threshold,
    const GflConfig& config = {});

// Greedy per-class NMS over `dets` (any order): a box is dropped when its IoU
// with a kept, higher-scoring box of its class exceeds `iou_threshold`.
// At most `max_keep` survive, best first (ties keep input order).
std::vector<Detection> ClassNms(std::vector<Detection> dets,
                                float iou_threshold, size_t max_keep);

}  // namespace vlmc::semantic

#endif  // VLMC_MODELS_SEMANTIC_DECODE_H_
