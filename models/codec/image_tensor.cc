#include "models/codec/image_tensor.h"

namespace vlmc::codec {

int64_t PaddedExtent(int64_t extent) {
  return (extent + kPadMultiple - 1) / kPadMultiple * kPadMultiple;
}

torch::Tensor PaddedImageTensor(const image::Image& image) {
  torch::Tensor x =
      torch::from_blob(const_cast<uint8_t*>(image.rgb.data()),
                       {image.height, image.width, 3}, torch::kUInt8)
          .permute({2, 0, 1})
          .unsqueeze(0)
          .to(torch::kFloat32)
          .div(255.0);
  return torch::nn::functional::pad(
      x, torch::nn::functional::PadFuncOptions(
             {0, PaddedExtent(image.width) - image.width, 0,
              PaddedExtent(image.height) - image.height})
             .mode(torch::kReplicate));
}

}  // namespace vlmc::codec
