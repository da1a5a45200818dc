#include "models/semantic/preprocess.h"

#include <algorithm>
#include <cmath>

namespace vlmc::semantic {

torch::Tensor ImageToTensor(const image::Image& image, torch::Device device) {
  torch::Tensor hwc =
      torch::from_blob(const_cast<uint8_t*>(image.rgb.data()),
                       {image.height, image.width, 3}, torch::kUInt8);
  return hwc.to(device)
      .permute({2, 0, 1})
      .unsqueeze(0)
      .to(torch::kFloat)
      .contiguous();
}

torch::Tensor ResizeToInput(const torch::Tensor& images, int out_w, int out_h,
                            bool keep_ratio, float pad_value,
                            InputTransform* transform) {
  const int64_t h = images.size(2), w = images.size(3);
  int64_t new_w = out_w, new_h = out_h;
  if (keep_ratio) {
    const double s = std::min(static_cast<double>(out_w) / w,
                              static_cast<double>(out_h) / h);
    new_w = std::clamp<int64_t>(std::lround(w * s), 1, out_w);
    new_h = std::clamp<int64_t>(std::lround(h * s), 1, out_h);
  }
  torch::Tensor resized = images;
  if (new_w != w || new_h != h) {
    resized = torch::upsample_bilinear2d(images, {new_h, new_w},
                                         /*align_corners=*/false);
  }
  const int64_t left = (out_w - new_w) / 2, top = (out_h - new_h) / 2;
  if (new_w != out_w || new_h != out_h) {
    resized = torch::constant_pad_nd(
        resized, {left, out_w - new_w - left, top, out_h - new_h - top},
        pad_value);
  }
  if (transform != nullptr) {
    transform->scale_x = static_cast<float>(new_w) / w;
    transform->scale_y = static_cast<float>(new_h) / h;
    transform->pad_x = static_cast<float>(left);
    transform->pad_y = static_cast<float>(top);
  }
  return resized;
}

}  // namespace vlmc::semantic
