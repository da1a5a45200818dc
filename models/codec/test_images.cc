#include "models/codec/test_images.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

#include "models/codec/checkpoint.h"
#include "models/image/image_io.h"
#include "models/util/file_io.h"

namespace vlmc::codec::test {

namespace {

const codec::Codec* LoadShippedOrAbort(codec::SynthesisPrecision synthesis) {
  absl::StatusOr<std::unique_ptr<codec::Codec>> loaded =
      codec::Codec::Load(VLMC_REFERENCE_MODEL_PATH, {"cpu", synthesis});
  if (!loaded.ok()) {
    ADD_FAILURE() << loaded.status();
    std::abort();
  }
  return loaded->release();
}

}  // namespace

const codec::Codec& ShippedCodec() {
  static const codec::Codec* codec =
      LoadShippedOrAbort(codec::SynthesisPrecision::kFloat32);
  return *codec;
}

const codec::Codec& ExactShippedCodec() {
  static const codec::Codec* codec =
      LoadShippedOrAbort(codec::SynthesisPrecision::kFloat64);
  return *codec;
}

HyperpriorNetwork ReferenceNetwork() {
  absl::StatusOr<std::string> bytes = util::ReadFile(VLMC_REFERENCE_MODEL_PATH);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  absl::StatusOr<TensorFile> file = ParseSafetensors(*bytes);
  EXPECT_TRUE(file.ok()) << file.status();
  absl::StatusOr<CodecConfig> config =
      CodecConfig::FromMetadata(file->metadata);
  EXPECT_TRUE(config.ok()) << config.status();
  HyperpriorNetwork network(*config);
  EXPECT_TRUE(LoadNetworkWeights(*file, network).ok());
  network->eval();
  return network;
}

torch::Tensor Kodim20HyperLatent(HyperpriorNetwork& network) {
  torch::InferenceMode inference;
  image::Image img = Kodim20Crop(0, 0, 768, 512);
  torch::Tensor x = torch::from_blob(img.rgb.data(), {img.height, img.width, 3},
                                     torch::kUInt8)
                        .permute({2, 0, 1})
                        .unsqueeze(0)
                        .to(torch::kFloat32)
                        .div(255.0);
  torch::Tensor y = network->Analysis(x, torch::full({1}, 0.5f));
  return torch::round(network->HyperAnalysis(y)).to(torch::kInt32).contiguous();
}

image::Image Kodim20Crop(int x, int y, int width, int height) {
  static const image::Image* full = [] {
    absl::StatusOr<image::Image> img = image::ReadImageFile(
        std::string(VLMC_SOURCE_DIR) + "/tests/data/kodim20.png");
    if (!img.ok()) {
      ADD_FAILURE() << img.status();
      std::abort();
    }
    return new image::Image(*std::move(img));
  }();
  if (x < 0 || y < 0 || x + width > full->width || y + height > full->height) {
    ADD_FAILURE() << "crop outside kodim20";
    std::abort();
  }
  image::Image crop{width, height, {}};
  crop.rgb.resize(static_cast<size_t>(width) * height * 3);
  for (int row = 0; row < height; ++row) {
    const uint8_t* src =
        &full->rgb[(static_cast<size_t>(y + row) * full->width + x) * 3];
    std::copy_n(src, width * 3,
                &crop.rgb[static_cast<size_t>(row) * width * 3]);
  }
  return crop;
}

}  // namespace vlmc::codec::test
