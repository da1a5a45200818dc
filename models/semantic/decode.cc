#include "models/semantic/decode.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "models/metrics/detection_metrics.h"

namespace vlmc::semantic {
namespace {

void SortByScore(std::vector<Detection>* dets) {
  std::stable_sort(
      dets->begin(), dets->end(),
      [](const Detection& a, const Detection& b) { return a.score > b.score; });
}

}  // namespace

std::vector<Detection> ClassNms(std::vector<Detection> dets,
                                float iou_threshold, size_t max_keep) {
  SortByScore(&dets);
  std::vector<Detection> kept;
  for (const Detection& d : dets) {
    if (kept.size() >= max_keep) break;
    const bool suppressed =
        std::any_of(kept.begin(), kept.end(), [&](const Detection& k) {
          return k.class_id == d.class_id &&
                 metrics::BoxIou(k, d) > iou_threshold;
        });
    if (!suppressed) kept.push_back(d);
  }
  return kept;
}

std::vector<Detection> DecodeCenterNet(const torch::Tensor& rows,
                                       float score_threshold, float input_w,
                                       float input_h) {
  const torch::Tensor r = rows.detach()
                              .to(torch::kCPU, torch::kFloat)
                              .reshape({-1, 6})
                              .contiguous();
  const float* p = r.data_ptr<float>();
  std::vector<Detection> dets;
  for (int64_t i = 0; i < r.size(0); ++i, p += 6) {
    if (!(p[4] >= score_threshold)) continue;
    Detection d;
    d.x0 = std::clamp(p[0], 0.0f, input_w);
    d.y0 = std::clamp(p[1], 0.0f, input_h);
    d.x1 = std::clamp(p[2], 0.0f, input_w);
    d.y1 = std::clamp(p[3], 0.0f, input_h);
    d.score = p[4];
    d.class_id = static_cast<int>(p[5]);
    dets.push_back(d);
  }
  SortByScore(&dets);
  return dets;
}

absl::StatusOr<std::vector<Detection>> DecodeGfl(
    const std::vector<torch::Tensor>& scores,
    const std::vector<torch::Tensor>& distributions, float score_threshold,
    const GflConfig& config) {
  if (scores.size() != config.strides.size() ||
      distributions.size() != config.strides.size()) {
    return absl::InvalidArgumentError(
        "gfl: one score and one distribution "
        "tensor per stride expected");
  }
  const int bins = config.reg_max + 1;
  std::vector<Detection> candidates;
  for (size_t level = 0; level < config.strides.size(); ++level) {
    const int stride = config.strides[level];
    const int64_t gw = config.input_w / stride, gh = config.input_h / stride;
    torch::Tensor cls = scores[level]
                            .detach()
                            .to(torch::kCPU, torch::kFloat)
                            .reshape({gw * gh, -1});
    torch::Tensor reg =
        distributions[level].detach().to(torch::kCPU, torch::kFloat);
    if (reg.numel() != gw * gh * 4 * bins) {
      return absl::InvalidArgumentError(
          absl::StrCat("gfl: stride ", stride, " expects ", gw * gh, " x ",
                       4 * bins, " distribution logits, got ", reg.numel()));
    }
    reg = reg.reshape({gw * gh, 4, bins});
    torch::Tensor anchors = torch::arange(gw * gh, torch::kLong);
    if (gw * gh > config.pre_nms_per_level) {
      anchors =
          std::get<1>(std::get<0>(cls.max(1)).topk(config.pre_nms_per_level));
    }
    const torch::Tensor s = cls.index_select(0, anchors).contiguous();
    const torch::Tensor dist = torch::softmax(reg.index_select(0, anchors), -1)
                                   .matmul(torch::arange(bins, torch::kFloat)) *
                               static_cast<float>(stride);
    const torch::Tensor cx =
        (anchors.remainder(gw).to(torch::kFloat) + 0.5f) * stride;
    const torch::Tensor cy =
        (anchors.div(gw, "floor").to(torch::kFloat) + 0.5f) * stride;
    const torch::Tensor boxes =
        torch::stack({(cx - dist.select(1, 0)).clamp(0, config.input_w),
                      (cy - dist.select(1, 1)).clamp(0, config.input_h),
                      (cx + dist.select(1, 2)).clamp(0, config.input_w),
                      (cy + dist.select(1, 3)).clamp(0, config.input_h)},
                     1)
            .contiguous();
    const int64_t n = s.size(0), classes = s.size(1);
    const float* sp = s.data_ptr<float>();
    const float* bp = boxes.data_ptr<float>();
    for (int64_t i = 0; i < n; ++i) {
      for (int64_t c = 0; c < classes; ++c) {
        const float score = sp[i * classes + c];
        if (!(score >= score_threshold)) continue;
        Detection d;
        d.class_id = static_cast<int>(c);
        d.score = score;
        d.x0 = bp[i * 4];
        d.y0 = bp[i * 4 + 1];
        d.x1 = bp[i * 4 + 2];
        d.y1 = bp[i * 4 + 3];
        candidates.push_back(d);
      }
    }
  }
  return ClassNms(std::move(candidates), config.nms_iou, config.max_detections);
}

}  // namespace vlmc::semantic
