#include "models/codec/hyperprior_network.h"

#include <cmath>

#include "models/nn/gdn.h"
#include "models/nn/layers.h"
#include "models/nn/simplified_gdn.h"

namespace vlmc::codec {
namespace {
constexpr double kScaleBound = 0.11;  // smallest scale of the coding table
constexpr double kLikelihoodBound = 1e-9;

torch::Tensor StandardNormalCdf(const torch::Tensor& x) {
  return 0.5 * torch::erfc(x * (-1.0 / std::sqrt(2.0)));
}

// The analysis transform of the config's family: image to latent at 1/16.
torch::nn::Sequential MakeAnalysis(const CodecConfig& config) {
  const int64_t n = config.channels_n;
  const int64_t m = config.channels_m;
  if (config.family == kFamilyBls2017) {
    return torch::nn::Sequential(
        nn::Conv(3, n, 9, 4), nn::SimplifiedGdn(n, false), nn::Conv(n, n, 5, 2),
        nn::SimplifiedGdn(n, false), nn::Conv(n, m, 5, 2));
  }
  return torch::nn::Sequential(nn::Conv(3, n, 5, 2), nn::Gdn(n, false),
                               nn::Conv(n, n, 5, 2), nn::Gdn(n, false),
                               nn::Conv(n, n, 5, 2), nn::Gdn(n, false),
                               nn::Conv(n, m, 5, 2));
}

// The synthesis transform of the config's family: latent to image.
torch::nn::Sequential MakeSynthesis(const CodecConfig& config) {
  const int64_t n = config.channels_n;
  const int64_t m = config.channels_m;
  if (config.family == kFamilyBls2017) {
    return torch::nn::Sequential(
        nn::SubpixelUp(m, n), nn::SimplifiedGdn(n, true), nn::SubpixelUp(n, n),
        nn::SimplifiedGdn(n, true), nn::SubpixelUp(n, 3, 4));
  }
  return torch::nn::Sequential(nn::SubpixelUp(m, n), nn::Gdn(n, true),
                               nn::SubpixelUp(n, n), nn::Gdn(n, true),
                               nn::SubpixelUp(n, n), nn::Gdn(n, true),
                               nn::SubpixelUp(n, 3));
}
}  // namespace

torch::Tensor GaussianLikelihood(const torch::Tensor& values,
                                 const torch::Tensor& means,
                                 const torch::Tensor& scales) {
  torch::Tensor bounded = nn::LowerBound(scales, kScaleBound);
  // Use the lower tail (|v|) where the CDF difference is numerically stable.
  torch::Tensor v = torch::abs(values - means);
  torch::Tensor likelihood = StandardNormalCdf((0.5 - v) / bounded) -
                             StandardNormalCdf((-0.5 - v) / bounded);
  return nn::LowerBound(likelihood, kLikelihoodBound);
}

HyperpriorNetworkImpl::HyperpriorNetworkImpl(const CodecConfig& config) {
  const int64_t n = config.channels_n;
  const int64_t m = config.channels_m;
  g_a_ = register_module("g_a", MakeAnalysis(config));
  g_s_ = register_module("g_s", MakeSynthesis(config));
  h_a_ = register_module(
      "h_a", torch::nn::Sequential(nn::Conv(m, n, 3, 1), torch::nn::LeakyReLU(),
                                   nn::Conv(n, n, 5, 2), torch::nn::LeakyReLU(),
                                   nn::Conv(n, n, 5, 2)));
  const int64_t mid = m * 3 / 2;
  h_s_ = register_module(
      "h_s",
      torch::nn::Sequential(nn::SubpixelUp(n, m), torch::nn::LeakyReLU(),
                            nn::SubpixelUp(m, mid), torch::nn::LeakyReLU(),
                            nn::Conv(mid, 2 * m, 3, 1)));
  gains_ = register_module("gains", nn::GainUnits(m, config.level_lambdas));
  z_density_per_level_ = config.z_density_per_level;
  z_density_ = register_module(
      "z_density",
      nn::FactorizedDensity(z_density_per_level_ ? n * gains_->levels() : n));
  // Constructed last so that the other modules' initial weights do not
  // depend on whether there is one.
  if (!config.pre_editor_widths.empty()) {
    pre_editor_ = register_module(
        "pre_editor",
        PreEditor(PreEditorConfig{config.pre_editor_widths}, gains_->levels()));
  }
}

torch::Tensor HyperpriorNetworkImpl::Analysis(const torch::Tensor& x,
                                              const torch::Tensor& quality) {
  const torch::Tensor edited =
      pre_editor_ ? pre_editor_->forward(x, quality) : x;
  return ApplyGain(g_a_->forward(edited), quality);
}

torch::Tensor HyperpriorNetworkImpl::UngainedAnalysis(const torch::Tensor& x) {
  TORCH_CHECK(!pre_editor_, "a pre-editor's analysis depends on the quality");
  return g_a_->forward(x);
}

torch::Tensor HyperpriorNetworkImpl::ApplyGain(const torch::Tensor& ungained,
                                               const torch::Tensor& quality) {
  return ungained * gains_->Gain(quality);
}

torch::Tensor HyperpriorNetworkImpl::HyperAnalysis(const torch::Tensor& y) {
  return h_a_->forward(y);
}

std::pair<torch::Tensor, torch::Tensor> HyperpriorNetworkImpl::HyperSynthesis(
    const torch::Tensor& z_hat) {
  auto parts = h_s_->forward(z_hat).chunk(2, 1);
  return {parts[0], parts[1]};
}

torch::Tensor HyperpriorNetworkImpl::Synthesis(const torch::Tensor& y_hat,
                                               const torch::Tensor& quality) {
  // The cast keeps float16 latents float16 (the gains' interpolation weights
  // are float32); float32 and float64 products already have y_hat's type.
  return g_s_->forward(
      (y_hat * gains_->InverseGain(quality)).to(y_hat.scalar_type()));
}

torch::Tensor HyperpriorNetworkImpl::ZLikelihood(const torch::Tensor& z,
                                                 const torch::Tensor& quality) {
  if (!z_density_per_level_) return z_density_->Likelihood(z);
  const int64_t batch = z.size(0), levels = gains_->levels();
  // The nearest level, as NearestLevel picks it from a stream's quality.
  torch::Tensor level = (quality.reshape({-1}).to(torch::kFloat32).clamp(0, 1) *
                             static_cast<double>(levels - 1) +
                         0.5)
                            .floor()
                            .to(torch::kLong)
                            .to(z.device())
                            .expand({batch});
  // Every level's density on every sample (z is small), then each sample's.
  torch::Tensor all =
      z_density_->Likelihood(z.repeat({1, levels, 1, 1}))
          .view({batch, levels, z.size(1), z.size(2), z.size(3)});
  torch::Tensor index =
      level.view({batch, 1, 1, 1, 1})
          .expand({batch, 1, z.size(1), z.size(2), z.size(3)});
  return all.gather(1, index).squeeze(1);
}

TrainingOutput HyperpriorNetworkImpl::forward(const torch::Tensor& x,
                                              const torch::Tensor& quality) {
  torch::Tensor y = Analysis(x, quality);
  torch::Tensor z = HyperAnalysis(y);
  torch::Tensor z_noisy = z + torch::rand_like(z) - 0.5;
  torch::Tensor z_likelihood = ZLikelihood(z_noisy, quality);
  auto [means, scales] = HyperSynthesis(nn::RoundStraightThrough(z));
  torch::Tensor y_noisy = y + torch::rand_like(y) - 0.5;
  torch::Tensor y_likelihood = GaussianLikelihood(y_noisy, means, scales);
  torch::Tensor y_hat = nn::RoundStraightThrough(y - means) + means;
  return {Synthesis(y_hat, quality), y_likelihood, z_likelihood};
}

}  // namespace vlmc::codec
