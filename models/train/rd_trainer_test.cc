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

// A decoder-only run (--train-only) must leave every other tensor bit for bit
// as the warm start had it, and change the decoder.
TEST(RdTrainerTest, TrainOnlyFreezesTheOtherParameters) {
  const std::string dir = MakeTempDir();
  TrainOptions options = TinyTrainOptions(dir);
  options.out_dir = dir + "/start";
  options.steps = 1;
  ASSERT_TRUE(RunRdTraining(options).ok());
  const std::string start = options.out_dir + "/checkpoint.safetensors";

  options.out_dir = dir + "/decoder";
  options.init_weights = start;
  options.steps = 2;
  options.trainable_prefixes = {"g_s.", "gains.log_inverse_gain"};
  ASSERT_TRUE(RunRdTraining(options).ok());

  absl::StatusOr<codec::TensorFile> before = codec::ReadSafetensorsFile(start);
  absl::StatusOr<codec::TensorFile> after =
      codec::ReadSafetensorsFile(options.out_dir + "/checkpoint.safetensors");
  ASSERT_TRUE(before.ok() && after.ok());
  int changed_decoder = 0, compared = 0;
  for (const auto& [name, tensor] : before->tensors) {
    auto it = after->tensors.find(name);
    ASSERT_NE(it, after->tensors.end()) << name;
    const bool decoder =
        name.rfind("g_s.", 0) == 0 || name == "gains.log_inverse_gain";
    const bool same = torch::equal(tensor, it->second);
    if (decoder) {
      changed_decoder += same ? 0 : 1;
    } else {
      EXPECT_TRUE(same) << name << " changed although frozen";
      ++compared;
    }
  }
  EXPECT_GT(changed_decoder, 0);
  EXPECT_GT(compared, 0);

  // Resuming the decoder-only run with other prefixes would pair the
  // optimizer state with the wrong tensors: refused.
  options.steps = 3;
  options.trainable_prefixes = {"g_s."};
  EXPECT_EQ(RunRdTraining(options).code(),
            absl::StatusCode::kFailedPrecondition);

  options.out_dir = dir + "/typo";
  options.trainable_prefixes = {"g_z."};
  EXPECT_EQ(RunRdTraining(options).code(), absl::StatusCode::kInvalidArgument);
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
