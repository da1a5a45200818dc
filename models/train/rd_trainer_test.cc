// Smoke test of the whole training path on a tiny network: train, resume,
// export, and code an image with the exported model.
#include "models/train/rd_trainer.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "models/codec/safetensors.h"
#include "models/train/tiny_training_fixture.h"

namespace vlmc::train {
namespace {

TEST(RdTrainerTest, TrainsResumesAndExportsAWorkingModel) {
  const std::string dir = MakeTempDir();
  TrainOptions options = TinyTrainOptions(dir);
  options.out_dir = dir + "/run";
  options.steps = 2;
  ASSERT_TRUE(RunRdTraining(options).ok());
  options.steps = 3;
  ASSERT_TRUE(RunRdTraining(options).ok());
  absl::StatusOr<codec::TensorFile> checkpoint =
      codec::ReadSafetensorsFile(options.out_dir + "/checkpoint.safetensors");
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status();
  EXPECT_EQ(checkpoint->metadata.at("step"), "3");

  ExpectExportedModelCodesTheImage(*checkpoint, "tiny");
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
