// Smoke test of task-objective training on a tiny codec: warm start from a
// rate-distortion checkpoint (adding the pre-editor), train, resume, export
// and code an image. Needs the CenterNet token model.
#include "models/train/task_trainer.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "models/codec/checkpoint.h"
#include "models/codec/safetensors.h"
#include "models/semantic/detector.h"
#include "models/train/rd_trainer.h"
#include "models/train/tiny_training_fixture.h"

namespace vlmc::train {
namespace {

// Tests that train against the real CenterNet token model, skipped without it.
class TaskTrainerWithTokensTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(semantic::DefaultSemanticModelDir() +
                                 "/centernet.json")) {
      GTEST_SKIP() << "no semantic models in "
                   << semantic::DefaultSemanticModelDir()
                   << " (scripts/fetch-models.sh)";
    }
  }
};

TEST_F(TaskTrainerWithTokensTest, WarmStartsTrainsResumesAndExports) {
  const std::string dir = MakeTempDir();
  TrainOptions rd = TinyTrainOptions(dir);
  rd.out_dir = dir + "/rd";
  rd.steps = 1;
  ASSERT_TRUE(RunRdTraining(rd).ok());

  TaskTrainOptions options;
  options.train = TinyTrainOptions(dir);
  options.train.config.pre_editor_widths = {4, 8};
  options.train.out_dir = dir + "/task";
  options.train.init_weights = rd.out_dir + "/checkpoint.safetensors";
  options.train.steps = 2;
  absl::Status status = RunTaskTraining(options);
  ASSERT_TRUE(status.ok()) << status;
  options.train.steps = 3;
  status = RunTaskTraining(options);
  ASSERT_TRUE(status.ok()) << status;

  absl::StatusOr<codec::TensorFile> checkpoint = codec::ReadSafetensorsFile(
      options.train.out_dir + "/checkpoint.safetensors");
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status();
  EXPECT_EQ(checkpoint->metadata.at("step"), "3");
  EXPECT_EQ(checkpoint->metadata.at("pre_editor_widths"), "4,8");
  for (const auto& [name, tensor] : checkpoint->tensors) {
    EXPECT_TRUE(torch::isfinite(tensor).all().item<bool>()) << name;
  }
  // The editor's last convolution starts at zero: the task gradient moved it.
  EXPECT_GT(
      checkpoint->tensors.at("pre_editor.out.weight").abs().max().item<float>(),
      0.0f);

  // One edit strength per quality level.
  EXPECT_EQ(checkpoint->tensors.at("pre_editor.level_strength").size(0),
            static_cast<int64_t>(options.train.config.level_lambdas.size()));

  ExpectExportedModelCodesTheImage(*checkpoint, "tiny-task");
  std::filesystem::remove_all(dir);
}

// The ablation arms without a pre-editor (vlmc train --pre-editor-widths
// none): the token losses train the codec alone.
TEST_F(TaskTrainerWithTokensTest, TrainsTheCodecAloneWithoutAPreEditor) {
  const std::string dir = MakeTempDir();
  TaskTrainOptions options;
  options.train = TinyTrainOptions(dir);
  options.train.out_dir = dir + "/task";
  options.train.steps = 2;
  options.weights.rank = 0.0;  // arm (b): rate, pixels and token cosine only
  absl::Status status = RunTaskTraining(options);
  ASSERT_TRUE(status.ok()) << status;
  absl::StatusOr<codec::TensorFile> checkpoint = codec::ReadSafetensorsFile(
      options.train.out_dir + "/checkpoint.safetensors");
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status();
  EXPECT_EQ(checkpoint->metadata.count("pre_editor_widths"), 0u);
  for (const auto& [name, tensor] : checkpoint->tensors) {
    EXPECT_NE(name.rfind(codec::kPreEditorPrefix, 0), 0u) << name;
  }
  ExpectExportedModelCodesTheImage(*checkpoint, "tiny-task-codec-only");
  std::filesystem::remove_all(dir);
}

TEST(TaskTrainerTest, ExplainsAMissingTokenModel) {
  const std::string dir = MakeTempDir();
  TaskTrainOptions options;
  options.train = TinyTrainOptions(dir);
  options.train.out_dir = dir + "/task";
  options.semantic_model_dir = dir + "/no-models";
  absl::Status status = RunTaskTraining(options);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_NE(status.message().find("token model"), std::string::npos) << status;
  std::filesystem::remove_all(dir);
}

TEST(TaskTrainerTest, RejectsNegativeWeights) {
  TaskTrainOptions options;
  options.train.out_dir = "/nonexistent";
  options.weights.rank = -1.0;
  EXPECT_EQ(RunTaskTraining(options).code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vlmc::train
