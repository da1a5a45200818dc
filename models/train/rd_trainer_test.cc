// Smoke test of the whole training path on a tiny network: train, resume,
// export, and code an image with the exported model.
#include "models/train/rd_trainer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
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

// Tensors of two checkpoints, by name, that are (not) bit-identical.
std::vector<std::string> ChangedTensors(const std::string& before_path,
                                        const std::string& after_path) {
  absl::StatusOr<codec::TensorFile> before =
      codec::ReadSafetensorsFile(before_path);
  absl::StatusOr<codec::TensorFile> after =
      codec::ReadSafetensorsFile(after_path);
  EXPECT_TRUE(before.ok() && after.ok());
  std::vector<std::string> changed;
  if (!before.ok() || !after.ok()) return changed;
  for (const auto& [name, tensor] : before->tensors) {
    auto it = after->tensors.find(name);
    EXPECT_NE(it, after->tensors.end()) << name;
    if (it != after->tensors.end() && !torch::equal(tensor, it->second))
      changed.push_back(name);
  }
  return changed;
}

// Trains `options` one step into DIR/start and returns that checkpoint, then
// points `options` at it as the warm start of the run under test.
std::string WarmStart(const std::string& dir, TrainOptions& options) {
  options.out_dir = dir + "/start";
  options.steps = 1;
  EXPECT_TRUE(RunRdTraining(options).ok());
  options.init_weights = options.out_dir + "/checkpoint.safetensors";
  return options.init_weights;
}

// A decoder-only run (--train-only) must leave every other tensor bit for bit
// as the warm start had it, and change the decoder.
TEST(RdTrainerTest, TrainOnlyFreezesTheOtherParameters) {
  const std::string dir = MakeTempDir();
  TrainOptions options = TinyTrainOptions(dir);
  const std::string start = WarmStart(dir, options);
  options.out_dir = dir + "/decoder";
  options.steps = 2;
  options.trainable_prefixes = {"g_s.", "gains.log_inverse_gain"};
  ASSERT_TRUE(RunRdTraining(options).ok());

  const std::vector<std::string> changed =
      ChangedTensors(start, options.out_dir + "/checkpoint.safetensors");
  ASSERT_FALSE(changed.empty());
  for (const std::string& name : changed) {
    EXPECT_TRUE(name.rfind("g_s.", 0) == 0 || name == "gains.log_inverse_gain")
        << name << " changed although frozen";
  }

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

// --shared-lr-scale 0: only the adaptive layer (the gain units) learns.
TEST(RdTrainerTest, SharedLrScaleZeroTrainsOnlyTheAdaptiveLayer) {
  const std::string dir = MakeTempDir();
  TrainOptions options = TinyTrainOptions(dir);
  const std::string start = WarmStart(dir, options);
  options.out_dir = dir + "/gains";
  options.steps = 3;
  options.shared_lr_scale = 0.0;
  ASSERT_TRUE(RunRdTraining(options).ok());
  const std::vector<std::string> changed =
      ChangedTensors(start, options.out_dir + "/checkpoint.safetensors");
  ASSERT_FALSE(changed.empty());
  for (const std::string& name : changed)
    EXPECT_EQ(name.rfind("gains.", 0), 0u) << name << " moved at scale 0";

  // Without a gain unit among the selected parameters nothing would learn.
  options.out_dir = dir + "/nothing";
  options.trainable_prefixes = {"g_s."};
  EXPECT_EQ(RunRdTraining(options).code(), absl::StatusCode::kInvalidArgument);
  std::filesystem::remove_all(dir);
}

// The monitor measures each level at the start and at every checkpoint, and
// training with it gives the same weights as training without it.
TEST(RdTrainerTest, MonitorLogsEveryCheckpointWithoutChangingTraining) {
  const std::string dir = MakeTempDir();
  TrainOptions options = TinyTrainOptions(dir);
  options.steps = 2;
  options.out_dir = dir + "/plain";
  options.monitor_images = 0;
  ASSERT_TRUE(RunRdTraining(options).ok());
  EXPECT_FALSE(std::filesystem::exists(options.out_dir + "/monitor.tsv"));

  options.out_dir = dir + "/monitored";
  options.monitor_images = 4;  // one image, 256 too large: the 64 crop
  options.monitor_qualities = {0.0, 1.0};
  ASSERT_TRUE(RunRdTraining(options).ok());
  EXPECT_TRUE(ChangedTensors(dir + "/plain/checkpoint.safetensors",
                             options.out_dir + "/checkpoint.safetensors")
                  .empty());

  // Resuming adds step 3 only (step 2 was logged at its checkpoint).
  options.steps = 3;
  ASSERT_TRUE(RunRdTraining(options).ok());
  std::ifstream in(options.out_dir + "/monitor.tsv");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 9u);  // header + steps 0 … 3 at two qualities
  EXPECT_EQ(lines[0], "step\tquality\tbpp\tpsnr");
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> fields = absl::StrSplit(lines[i], '\t');
    ASSERT_EQ(fields.size(), 4u) << lines[i];
    EXPECT_EQ(fields[0], std::to_string((i - 1) / 2));
    EXPECT_EQ(fields[1], i % 2 == 1 ? "0" : "1");
    double bpp = 0;
    ASSERT_TRUE(absl::SimpleAtod(fields[2], &bpp));
    EXPECT_GT(bpp, 0.0);
  }

  // A run that starts over in the same folder starts a new file.
  options.resume = false;
  options.steps = 1;
  ASSERT_TRUE(RunRdTraining(options).ok());
  std::ifstream again(options.out_dir + "/monitor.tsv");
  lines.clear();
  for (std::string line; std::getline(again, line);) lines.push_back(line);
  EXPECT_EQ(lines.size(), 5u);  // header + steps 0 and 1
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
  options.data_dirs = {};
  options.shared_lr_scale = 1.5;
  EXPECT_EQ(RunRdTraining(options).code(), absl::StatusCode::kInvalidArgument);
  options.shared_lr_scale = 0.5;
  options.monitor_crop = 100;
  EXPECT_EQ(RunRdTraining(options).code(), absl::StatusCode::kInvalidArgument);
  options.monitor_crop = 256;
  options.monitor_qualities = {0.0, 2.0};
  EXPECT_EQ(RunRdTraining(options).code(), absl::StatusCode::kInvalidArgument);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vlmc::train
