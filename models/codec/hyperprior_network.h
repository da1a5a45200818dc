#ifndef VLMC_MODELS_CODEC_HYPERPRIOR_NETWORK_H_
#define VLMC_MODELS_CODEC_HYPERPRIOR_NETWORK_H_

#include <torch/torch.h>

#include "models/codec/codec_config.h"
#include "models/codec/pre_editor.h"
#include "models/nn/factorized_density.h"
#include "models/nn/gain_units.h"

namespace vlmc::codec {

// Outputs of a training forward pass.
struct TrainingOutput {
  torch::Tensor x_hat;         // [B, 3, H, W]
  torch::Tensor y_likelihood;  // [B, M, H/16, W/16]
  torch::Tensor z_likelihood;  // [B, N, H/64, W/64]
};

// Mean-scale hyperprior (Minnen et al. 2018 without context model) with gain
// units on the latent for continuous variable rate. Spatial downsampling is
// 16 for y and 64 for z, so inputs must be multiples of 64. With
// config.pre_editor_widths set, a PreEditor (parameters "pre_editor.*") edits
// the input before the analysis transform; only the encoder runs it.
class HyperpriorNetworkImpl : public torch::nn::Module {
 public:
  explicit HyperpriorNetworkImpl(const CodecConfig& config);

  // Noise-based rate proxy and straight-through rounding (mixed quantisation).
  TrainingOutput forward(const torch::Tensor& x, const torch::Tensor& quality);

  // Inference pieces shared by the encoder and the decoder. Analysis
  // includes the pre-editor. = ApplyGain(g_a(edited x), quality).
  torch::Tensor Analysis(const torch::Tensor& x, const torch::Tensor& quality);
  // Without a pre-editor, the part of Analysis that does not depend on the
  // quality (the analysis transform before the gains), so that an encoder
  // trying several qualities runs it once; ApplyGain then gives Analysis's
  // result bit for bit. (A pre-editor's edit depends on the quality.)
  torch::Tensor UngainedAnalysis(const torch::Tensor& x);
  torch::Tensor ApplyGain(const torch::Tensor& ungained,
                          const torch::Tensor& quality);
  torch::Tensor HyperAnalysis(const torch::Tensor& y);
  // Returns {means, scales} for the latent given the quantised hyper-latent.
  std::pair<torch::Tensor, torch::Tensor> HyperSynthesis(
      const torch::Tensor& z_hat);
  torch::Tensor Synthesis(const torch::Tensor& y_hat,
                          const torch::Tensor& quality);

  // Likelihood of the unit bins centred on `z` ([B, N, H/64, W/64]) under
  // the density of each sample's nearest level (`quality`: [B] or one value
  // for all) when the config has one per level, else the shared one.
  torch::Tensor ZLikelihood(const torch::Tensor& z,
                            const torch::Tensor& quality);

  // N channels, or levels x N (level-major) with a density per level.
  nn::FactorizedDensity& z_density() { return z_density_; }
  // Null without a pre-editor.
  PreEditor& pre_editor() { return pre_editor_; }

 private:
  torch::nn::Sequential g_a_{nullptr}, g_s_{nullptr}, h_a_{nullptr},
      h_s_{nullptr};
  nn::GainUnits gains_{nullptr};
  nn::FactorizedDensity z_density_{nullptr};
  bool z_density_per_level_ = false;
  PreEditor pre_editor_{nullptr};
};
TORCH_MODULE(HyperpriorNetwork);

// Likelihood of unit bins of a Gaussian with the given mean and scale
// (scales bounded below by the smallest entry of the coding scale table).
torch::Tensor GaussianLikelihood(const torch::Tensor& values,
                                 const torch::Tensor& means,
                                 const torch::Tensor& scales);

}  // namespace vlmc::codec

#endif  // VLMC_MODELS_CODEC_HYPERPRIOR_NETWORK_H_
