// vlmc-rate-check: for each image and quality, the bits a checkpoint or model
// file's entropy models estimate (the training proxy: additive uniform noise)
// next to the bits of the same latents rounded as the encoder rounds them,
// split into y and z. A large gap between the two shows the rate proxy being
// gamed; equal but large numbers show a model that codes that image badly.
// Images of any size are padded as the encoder pads them; bpp is per pixel of
// the original image, as in the streams' accounting.
//
// Usage: vlmc-rate-check --model FILE [--qualities Q,...] [--seed N] IMAGE...
#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "bench/network_file.h"
#include "models/codec/hyperprior_network.h"
#include "models/codec/image_tensor.h"
#include "models/image/image_io.h"
#include "models/util/cli_flags.h"

namespace {

using vlmc::cli::Flags;

std::vector<Flags::Spec> FlagSpecs() {
  return {
      {"model", "", "checkpoint or model file (safetensors) (required)"},
      {"qualities", "0,0.5,1", "comma-separated qualities in [0, 1]"},
      {"seed", "1", "seed of the noise proxy"},
      {"help", "", "print this help", true},
  };
}

double Bits(const torch::Tensor& likelihood) {
  return -torch::log2(likelihood).sum().item<double>();
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "vlmc-rate-check: %s\n", message.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  absl::StatusOr<Flags> flags =
      Flags::Parse({argv + 1, argv + argc}, FlagSpecs());
  if (!flags.ok()) return Fail(std::string(flags.status().message()));
  if (flags->GetBool("help") || flags->Get("model").empty() ||
      flags->positional().empty()) {
    std::printf(
        "usage: vlmc-rate-check --model FILE [flags] IMAGE...\n"
        "Prints per image and quality: bpp the noise proxy estimates (as in "
        "training) and bpp of the rounded latents (as the encoder codes "
        "them), each split into y and z.\n%s",
        Flags::Usage(FlagSpecs()).c_str());
    return flags->GetBool("help") ? 0 : 2;
  }
  absl::StatusOr<std::vector<double>> qualities =
      vlmc::bench::ParseQualityList(flags->Get("qualities"));
  if (!qualities.ok()) return Fail(std::string(qualities.status().message()));
  absl::StatusOr<int64_t> seed = flags->GetInt("seed");
  if (!seed.ok()) return Fail("--seed must be an integer");
  torch::manual_seed(*seed);
  torch::set_num_threads(1);

  absl::StatusOr<vlmc::bench::NetworkFile> loaded =
      vlmc::bench::LoadNetworkFile(flags->Get("model"));
  if (!loaded.ok()) return Fail(loaded.status().ToString());
  vlmc::codec::HyperpriorNetwork& network = loaded->network;

  std::printf(
      "image,quality,proxy_bpp,proxy_y_bpp,proxy_z_bpp,rounded_bpp,"
      "rounded_y_bpp,rounded_z_bpp\n");
  for (const std::string& path : flags->positional()) {
    absl::StatusOr<vlmc::image::Image> image = vlmc::image::ReadImageFile(path);
    if (!image.ok()) return Fail(image.status().ToString());
    torch::NoGradGuard no_grad;
    const torch::Tensor x = vlmc::codec::PaddedImageTensor(*image);
    const double pixels = static_cast<double>(image->width) * image->height;
    for (double q : *qualities) {
      const torch::Tensor quality = torch::full({1}, q);
      vlmc::codec::TrainingOutput proxy = network->forward(x, quality);
      const double proxy_y = Bits(proxy.y_likelihood) / pixels;
      const double proxy_z = Bits(proxy.z_likelihood) / pixels;

      const torch::Tensor y = network->Analysis(x, quality);
      const torch::Tensor z_hat = torch::round(network->HyperAnalysis(y));
      auto [means, scales] = network->HyperSynthesis(z_hat);
      const torch::Tensor y_hat = torch::round(y - means) + means;
      const double rounded_y =
          Bits(vlmc::codec::GaussianLikelihood(y_hat, means, scales)) / pixels;
      const double rounded_z =
          Bits(network->ZLikelihood(z_hat, quality)) / pixels;
      std::printf("%s,%.2f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f\n", path.c_str(), q,
                  proxy_y + proxy_z, proxy_y, proxy_z, rounded_y + rounded_z,
                  rounded_y, rounded_z);
    }
  }
  return 0;
}
