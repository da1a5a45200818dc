// Smoke test of the whole training path on a tiny network: train, resume,
// export, and code an image with the exported model.
#include "models/train/rd_trainer.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "models/codec/codec.h"
#include "models/codec/safetensors.h"
#include "models/image/image_io.h"

namespace vlmc::train {
namespace {

std::string MakeTempDir() {
  std::string pattern =
      std::filesystem::temp_directory_path() / "vlmc_train_XXXXXX";
  return mkdtemp(pattern.data());
}

TEST(RdTrainerTest, TrainsResumesAndExportsAWorkingModel) {
  const std::string dir = MakeTempDir();
  std::filesystem::create_directories(dir + "/images");
  image::Image img{96, 80, std::vector<uint8_t>(96 * 80 * 3)};
  for (size_t i = 0; i < img.rgb.size(); ++i)
    img.rgb[i] = static_cast<uint8_t>((i * 7) % 251);
  ASSERT_TRUE(image::WritePngFile(img, dir + "/images/a.png").ok());

  TrainOptions options;
  options.config.channels_n = 8;
  options.config.channels_m = 8;
  options.data_dirs = {dir + "/images"};
  options.out_dir = dir + "/run";
  options.steps = 2;
  options.batch = 2;
  options.crop = 64;
  options.log_every = 1;
  options.checkpoint_every = 1;
  options.device = "cpu";
  ASSERT_TRUE(RunRdTraining(options).ok());
  options.steps = 3;
  ASSERT_TRUE(RunRdTraining(options).ok());
  absl::StatusOr<codec::TensorFile> checkpoint =
      codec::ReadSafetensorsFile(options.out_dir + "/checkpoint.safetensors");
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status();
  EXPECT_EQ(checkpoint->metadata.at("step"), "3");

  absl::StatusOr<codec::TensorFile> model =
      codec::MakeModelFile(*checkpoint, torch::kFloat16, "tiny", 2);
  ASSERT_TRUE(model.ok()) << model.status();
  absl::StatusOr<std::string> bytes = codec::SerializeSafetensors(*model);
  ASSERT_TRUE(bytes.ok());
  absl::StatusOr<std::unique_ptr<codec::Codec>> codec =
      codec::Codec::FromModelBytes(*bytes);
  ASSERT_TRUE(codec.ok()) << codec.status();
  absl::StatusOr<std::string> stream = (*codec)->Compress(img, 0.5);
  ASSERT_TRUE(stream.ok()) << stream.status();
  absl::StatusOr<image::Image> out = (*codec)->Decompress(*stream);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->width, 96);
  std::filesystem::remove_all(dir);
}

TEST(RdTrainerTest, RejectsBadOptions) {
  const std::string dir = MakeTempDir();
  TrainOptions options;
  options.out_dir = dir;
  options.crop = 100;
  EXPECT_EQ(RunRdTraining(options).code(), absl::StatusCode::kInvalidArgument);
  options.crop = 64;
  options.device = "tpu";
  EXPECT_EQ(RunRdTraining(options).code(), absl::StatusCode::kInvalidArgument);
  options.device = "cpu";
  options.data_dirs = {dir + "/missing"};
  EXPECT_EQ(RunRdTraining(options).code(), absl::StatusCode::kNotFound);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vlmc::train
