#include "models/codec/latent_refinement.h"

#include <algorithm>
#include <cmath>

#include "models/nn/layers.h"

namespace vlmc::codec {

double LambdaForQuality(const CodecConfig& config, double quality) {
  const auto& ladder = config.level_lambdas;
  const double position =
      std::clamp(quality, 0.0, 1.0) * static_cast<double>(ladder.size() - 1);
  const size_t lower = std::min(static_cast<size_t>(position),
                                ladder.size() > 1 ? ladder.size() - 2 : 0);
  if (ladder.size() == 1) return ladder[0];
  const double t = position - static_cast<double>(lower);
  return std::exp((1.0 - t) * std::log(ladder[lower]) +
                  t * std::log(ladder[lower + 1]));
}

RefinedLatents RefineLatents(HyperpriorNetwork& network,
                             const CodecConfig& config, const torch::Tensor& x,
                             double quality, const RefinementOptions& options) {
  // The search differentiates, whatever mode the caller is in; the clone
  // makes an inference-mode input an ordinary tensor.
  c10::InferenceMode no_inference_mode(false);
  torch::AutoGradMode autograd(true);
  const torch::Tensor image = x.clone();
  const torch::Tensor q = torch::full(
      {1}, static_cast<float>(quality),
      torch::TensorOptions().dtype(torch::kFloat32).device(image.device()));
  torch::Tensor y, z;
  {
    torch::NoGradGuard no_grad;
    y = network->Analysis(image, q);
    z = network->HyperAnalysis(y);
  }
  if (options.iterations > 0) {
    y = y.clone().requires_grad_(true);
    z = z.clone().requires_grad_(true);
    torch::optim::Adam optimizer(
        {y, z}, torch::optim::AdamOptions(options.learning_rate));
    auto generator = at::make_generator<at::CPUGeneratorImpl>(options.seed);
    const double lambda = LambdaForQuality(config, quality);
    const double pixels = static_cast<double>(image.size(2) * image.size(3));
    // Each step's loss is measured on the rounded latents the encoder would
    // code (the true rate and distortion up to the float synthesis); the best
    // iterate is kept, so refinement never codes worse than the analysis
    // transform's own latents by that measure.
    torch::Tensor best_y = y.detach().clone(), best_z = z.detach().clone();
    double best_loss = HUGE_VAL;
    for (int i = 0; i <= options.iterations; ++i) {
      auto [means, scales] =
          network->HyperSynthesis(nn::RoundStraightThrough(z));
      torch::Tensor y_hat = nn::RoundStraightThrough(y - means) + means;
      torch::Tensor x_hat = network->Synthesis(y_hat, q);
      const torch::Tensor distortion =
          lambda * (255.0 * 255.0) * (x_hat - image).square().mean();
      torch::Tensor rounded_bits =
          -(torch::log2(GaussianLikelihood(y_hat, means, scales)).sum() +
            torch::log2(network->ZLikelihood(nn::RoundStraightThrough(z), q))
                .sum());
      const torch::Tensor rounded_loss = rounded_bits / pixels + distortion;
      const double measured = rounded_loss.item<double>();
      if (measured < best_loss) {
        best_loss = measured;
        best_y = y.detach().clone();
        best_z = z.detach().clone();
      }
      if (i == options.iterations) break;
      torch::Tensor loss = rounded_loss;
      if (options.noise_rate) {
        auto noise = [&](const torch::Tensor& t) {
          return (at::rand(t.sizes(), generator, torch::kFloat32) - 0.5)
              .to(t.device());
        };
        torch::Tensor noisy_bits = -(
            torch::log2(GaussianLikelihood(y + noise(y), means, scales)).sum() +
            torch::log2(network->ZLikelihood(z + noise(z), q)).sum());
        loss = noisy_bits / pixels + distortion;
      }
      // Gradients for the latents only: the model's parameters are shared
      // (a Codec serves several threads) and must not collect any.
      std::vector<torch::Tensor> grads = torch::autograd::grad({loss}, {y, z});
      y.mutable_grad() = grads[0];
      z.mutable_grad() = grads[1];
      optimizer.step();
    }
    y = best_y;
    z = best_z;
  }
  torch::NoGradGuard no_grad;
  return {y.detach(), torch::round(z.detach())};
}

}  // namespace vlmc::codec
