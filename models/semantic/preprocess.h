#ifndef VLMC_MODELS_SEMANTIC_PREPROCESS_H_
#define VLMC_MODELS_SEMANTIC_PREPROCESS_H_

#include <torch/torch.h>

#include "models/image/image.h"

namespace vlmc::semantic {

// How a detector input of size W x H was cut from an image: input pixel
// coordinate = original * scale + pad (per axis).
struct InputTransform {
  float scale_x = 1.0f, scale_y = 1.0f;
  float pad_x = 0.0f, pad_y = 0.0f;

  float ToOriginalX(float x) const { return (x - pad_x) / scale_x; }
  float ToOriginalY(float y) const { return (y - pad_y) / scale_y; }
};

// [1, 3, H, W] float RGB in [0, 255] on `device`.
torch::Tensor ImageToTensor(const image::Image& image, torch::Device device);

// Resizes an NCHW float batch to out_w x out_h with bilinear interpolation
// (half-pixel centres, no antialiasing: OpenCV's INTER_LINEAR, which both
// detectors were trained with). With `keep_ratio` the image is scaled to fit
// and centred, the border filled with `pad_value` (letterbox); otherwise it is
// stretched. Differentiable w.r.t. `images`. `transform` (optional) receives
// the mapping from original to output pixels.
torch::Tensor ResizeToInput(const torch::Tensor& images, int out_w, int out_h,
                            bool keep_ratio, float pad_value,
                            InputTransform* transform);

}  // namespace vlmc::semantic

#endif  // VLMC_MODELS_SEMANTIC_PREPROCESS_H_
