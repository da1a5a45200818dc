#ifndef VLMC_MODELS_CODEC_LATENT_REFINEMENT_H_
#define VLMC_MODELS_CODEC_LATENT_REFINEMENT_H_

#include <torch/torch.h>

#include "models/codec/codec_config.h"
#include "models/codec/hyperprior_network.h"

namespace vlmc::codec {

// Encoder-side search for better latents of one image: the analysis
// transform's y and z are only a starting point (an amortised guess), so a
// few gradient steps on this image's own rate + λ(q)·255²·MSE, through the
// fixed entropy models and synthesis, find latents the unchanged decoder
// reconstructs better per bit. The stream format and the decoder do not
// change.
inline constexpr int kMaxRefinementIterations = 1000;

struct RefinementOptions {
  int iterations = 0;  // 0: no refinement
  double learning_rate = 0.02;
  // Gradient of the rate: through additive uniform noise (as in training)
  // or through the rounded latents (straight-through).
  bool noise_rate = false;
  uint64_t seed = 1;  // of the rate proxy's noise (makes encoding repeatable)
};

struct RefinedLatents {
  torch::Tensor y;      // float32 [1, M, H/16, W/16]
  torch::Tensor z_hat;  // rounded hyper-latent, float32 [1, N, H/64, W/64]
};

// λ of `quality` on the model's ladder (log-linear between levels), as the
// training loss uses it.
double LambdaForQuality(const CodecConfig& config, double quality);

// Refines the latents of `x` [1, 3, H, W] (padded, in [0, 1]) at `quality`
// with `network` (float32; its parameters are not changed). Deterministic for
// a given seed and thread count.
RefinedLatents RefineLatents(HyperpriorNetwork& network,
                             const CodecConfig& config, const torch::Tensor& x,
                             double quality, const RefinementOptions& options);

}  // namespace vlmc::codec

#endif  // VLMC_MODELS_CODEC_LATENT_REFINEMENT_H_
