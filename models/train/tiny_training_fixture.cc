#include "models/train/tiny_training_fixture.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "models/codec/checkpoint.h"
#include "models/codec/codec.h"
#include "models/image/image_io.h"

namespace vlmc::train {

std::string MakeTempDir() {
  std::string pattern =
      std::filesystem::temp_directory_path() / "vlmc_train_XXXXXX";
  return mkdtemp(pattern.data());
}

image::Image TinyTrainingImage() {
  image::Image img{96, 80, std::vector<uint8_t>(96 * 80 * 3)};
  for (size_t i = 0; i < img.rgb.size(); ++i)
    img.rgb[i] = static_cast<uint8_t>((i * 7) % 251);
  return img;
}

TrainOptions TinyTrainOptions(const std::string& dir) {
  std::filesystem::create_directories(dir + "/images");
  EXPECT_TRUE(
      image::WritePngFile(TinyTrainingImage(), dir + "/images/a.png").ok());
  TrainOptions options;
  options.config.channels_n = 8;
  options.config.channels_m = 8;
  options.data_dirs = {dir + "/images"};
  options.batch = 2;
  options.crop = 64;
  options.log_every = 1;
  options.checkpoint_every = 1;
  options.threads = 1;
  options.device = "cpu";
  return options;
}

void ExpectExportedModelCodesTheImage(const codec::TensorFile& checkpoint,
                                      const std::string& model_id) {
  absl::StatusOr<codec::TensorFile> model =
      codec::MakeModelFile(checkpoint, torch::kFloat16, model_id, 1);
  ASSERT_TRUE(model.ok()) << model.status();
  absl::StatusOr<std::string> bytes = codec::SerializeSafetensors(*model);
  ASSERT_TRUE(bytes.ok());
  absl::StatusOr<std::unique_ptr<codec::Codec>> codec =
      codec::Codec::FromModelBytes(*bytes);
  ASSERT_TRUE(codec.ok()) << codec.status();
  const image::Image img = TinyTrainingImage();
  absl::StatusOr<std::string> stream = (*codec)->Compress(img, 0.5);
  ASSERT_TRUE(stream.ok()) << stream.status();
  absl::StatusOr<image::Image> out = (*codec)->Decompress(*stream);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->width, img.width);
  EXPECT_EQ(out->height, img.height);
}

}  // namespace vlmc::train
