#ifndef VLMC_MODELS_CODEC_IMAGE_TENSOR_H_
#define VLMC_MODELS_CODEC_IMAGE_TENSOR_H_

#include <torch/torch.h>

#include <cstdint>

#include "models/image/image.h"

namespace vlmc::codec {

// The network downsamples by 64 (y by 16, z by 4 more), so it codes images
// whose sides are multiples of 64.
inline constexpr int64_t kPadMultiple = 64;

// `extent` rounded up to a multiple of kPadMultiple.
int64_t PaddedExtent(int64_t extent);

// The tensor the encoder codes for `image`: float [1, 3, H', W'] in [0, 1],
// H' and W' padded to PaddedExtent by repeating the last row and column
// (replication adds less rate at the border than zeros would).
torch::Tensor PaddedImageTensor(const image::Image& image);

}  // namespace vlmc::codec

#endif  // VLMC_MODELS_CODEC_IMAGE_TENSOR_H_
