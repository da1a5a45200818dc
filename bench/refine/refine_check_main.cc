// vlmc-refine-check: what encoder-side latent refinement buys. For each image
// and quality, the rate (bits of the rounded latents under the model's entropy
// models, as the encoder codes them) and PSNR (float32 synthesis of those
// latents) of the analysis transform's latents and of the refined ones.
//
// Usage: vlmc-refine-check --model FILE [--qualities Q,...] [--iterations N]
//            [--lr X] IMAGE...
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "bench/network_file.h"
#include "models/codec/hyperprior_network.h"
#include "models/codec/image_tensor.h"
#include "models/codec/latent_refinement.h"
#include "models/image/image_io.h"
#include "models/util/cli_flags.h"

namespace {

using vlmc::cli::Flags;
namespace codec = vlmc::codec;

std::vector<Flags::Spec> FlagSpecs() {
  return {
      {"model", "", "model file (safetensors) (required)"},
      {"qualities", "0,0.5,1", "comma-separated qualities in [0, 1]"},
      {"iterations", "30", "refinement steps"},
      {"lr", "0.02", "refinement learning rate (Adam)"},
      {"noise-rate", "",
       "rate gradient through uniform noise instead of "
       "the rounded latents",
       true},
      {"help", "", "print this help", true},
  };
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "vlmc-refine-check: %s\n", message.c_str());
  return 2;
}

struct Point {
  double bpp = 0, psnr = 0;
};

// Rate and PSNR of coding `latents` of the padded image `x`, cropped to
// width × height for the distortion.
Point Measure(codec::HyperpriorNetwork& network,
              const codec::RefinedLatents& latents, const torch::Tensor& x,
              double quality, int width, int height) {
  torch::NoGradGuard no_grad;
  auto [means, scales] = network->HyperSynthesis(latents.z_hat);
  const torch::Tensor y_hat = torch::round(latents.y - means) + means;
  const double bits =
      -torch::log2(codec::GaussianLikelihood(y_hat, means, scales))
           .sum()
           .item<double>() -
      torch::log2(
          network->ZLikelihood(latents.z_hat,
                               torch::full({1}, static_cast<float>(quality))))
          .sum()
          .item<double>();
  torch::Tensor x_hat =
      network->Synthesis(y_hat, torch::full({1}, static_cast<float>(quality)));
  auto crop = [&](const torch::Tensor& t) {
    return t.slice(2, 0, height).slice(3, 0, width);
  };
  const torch::Tensor decoded =
      torch::round(crop(x_hat).clamp(0, 1) * 255.0) / 255.0;
  const double mse = (decoded - crop(x)).square().mean().item<double>();
  return {bits / (static_cast<double>(width) * height),
          -10.0 * std::log10(std::max(mse, 1e-12))};
}

}  // namespace

int main(int argc, char** argv) {
  absl::StatusOr<Flags> flags =
      Flags::Parse({argv + 1, argv + argc}, FlagSpecs());
  if (!flags.ok()) return Fail(std::string(flags.status().message()));
  if (flags->GetBool("help") || flags->Get("model").empty() ||
      flags->positional().empty()) {
    std::printf(
        "usage: vlmc-refine-check --model FILE [flags] IMAGE...\n"
        "Prints per image and quality: bpp and PSNR of the analysis "
        "transform's latents and of the refined ones.\n%s",
        Flags::Usage(FlagSpecs()).c_str());
    return flags->GetBool("help") ? 0 : 2;
  }
  absl::StatusOr<std::vector<double>> qualities =
      vlmc::bench::ParseQualityList(flags->Get("qualities"));
  if (!qualities.ok()) return Fail(std::string(qualities.status().message()));
  codec::RefinementOptions refine;
  absl::StatusOr<int64_t> iterations = flags->GetInt("iterations");
  absl::StatusOr<double> lr = flags->GetDouble("lr");
  if (!iterations.ok() || *iterations < 1 || *iterations > 10000)
    return Fail("--iterations must be in [1, 10000]");
  if (!lr.ok() || !(*lr > 0)) return Fail("--lr must be positive");
  refine.iterations = static_cast<int>(*iterations);
  refine.learning_rate = *lr;
  refine.noise_rate = flags->GetBool("noise-rate");
  torch::set_num_threads(1);

  absl::StatusOr<vlmc::bench::NetworkFile> loaded =
      vlmc::bench::LoadNetworkFile(flags->Get("model"));
  if (!loaded.ok()) return Fail(loaded.status().ToString());
  const codec::CodecConfig& config = loaded->config;
  codec::HyperpriorNetwork& network = loaded->network;

  std::printf("image,quality,bpp,psnr,refined_bpp,refined_psnr,seconds\n");
  for (const std::string& path : flags->positional()) {
    absl::StatusOr<vlmc::image::Image> image = vlmc::image::ReadImageFile(path);
    if (!image.ok()) return Fail(image.status().ToString());
    const torch::Tensor x = codec::PaddedImageTensor(*image);
    for (double q : *qualities) {
      codec::RefinementOptions none;
      const Point before =
          Measure(network, codec::RefineLatents(network, config, x, q, none), x,
                  q, image->width, image->height);
      const auto start = std::chrono::steady_clock::now();
      codec::RefinedLatents refined =
          codec::RefineLatents(network, config, x, q, refine);
      const double seconds = std::chrono::duration<double>(
                                 std::chrono::steady_clock::now() - start)
                                 .count();
      const Point after =
          Measure(network, refined, x, q, image->width, image->height);
      std::printf("%s,%.2f,%.4f,%.3f,%.4f,%.3f,%.1f\n", path.c_str(), q,
                  before.bpp, before.psnr, after.bpp, after.psnr, seconds);
      std::fflush(stdout);
    }
  }
  return 0;
}
