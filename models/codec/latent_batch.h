#ifndef VLMC_MODELS_CODEC_LATENT_BATCH_H_
#define VLMC_MODELS_CODEC_LATENT_BATCH_H_

#include <torch/torch.h>

#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "models/bitstream/stream_format.h"
#include "models/image/image.h"

namespace vlmc::codec {

// Per-stage wall times of one decode (milliseconds). For a batched synthesis
// they cover the whole batch. transfer_ms counts host <-> device copies of
// the synthesis only (zero on the CPU); total_ms the whole call.
// hyper_synthesis_ms is the part of entropy_ms that computes the y segment's
// prior from z (on the device when the codec has one, its copies included).
struct DecodeTimings {
  double entropy_ms = 0, hyper_synthesis_ms = 0, synthesis_ms = 0,
         transfer_ms = 0, total_ms = 0;
};

// The entropy-decoded latents of one stream: its header and the float64
// y_hat [1, M, h, w] on the CPU.
struct DecodedLatents {
  bitstream::StreamHeader header;
  torch::Tensor y_hat;
};

// One synthesis pass's inputs on the CPU.
struct LatentBatch {
  torch::Tensor y_hat;    // float64 [B, M, h, w], in input order
  torch::Tensor quality;  // float32 [B]: each stream's own quality
};

// Stacks latents of one shape. INVALID_ARGUMENT for an empty batch, a latent
// that is not float64 [1, M, h, w], or shapes that differ.
absl::StatusOr<LatentBatch> StackLatents(
    absl::Span<const DecodedLatents> batch);

// The synthesis output [B, 3, H, W] in [0, 1] (any floating type) as uint8
// pixels, with the same rounding as a float64 decode.
torch::Tensor ToPixels(const torch::Tensor& x_hat);

// Splits uint8 `pixels` [B, 3, H, W] on the CPU into RGB images, each
// cropped to its coded size (the network works on padded sizes) and, for a
// stream coded at a reduced resolution, upsampled to the size in its header.
absl::StatusOr<std::vector<image::Image>> PixelsToImages(
    const torch::Tensor& pixels, absl::Span<const DecodedLatents> batch);

}  // namespace vlmc::codec

#endif  // VLMC_MODELS_CODEC_LATENT_BATCH_H_
