// Smoke test of task-objective training on a tiny codec: warm start from a
// rate-distortion checkpoint (adding the pre-editor), train, resume, export
// and code an image. Needs the CenterNet token model.
#include "models/train/task_trainer.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "models/codec/checkpoint.h"
#include "models/codec/codec.h"
#include "models/codec/safetensors.h"
#include "models/image/image_io.h"
#include "models/semantic/detector.h"
#include "models/train/rd_trainer.h"

namespace vlmc::train {
namespace {

std::string MakeTempDir() {
  std::string pattern =
      std::filesystem::temp_directory_path() / "vlmc_task_train_XXXXXX";
  return mkdtemp(pattern.data());
}

bool HaveTokenModel() {
  return std::filesystem::exists(semantic::DefaultSemanticModelDir() +
                                 "/centernet.json");
}

TrainOptions TinyOptions(const std::string& dir) {
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

TEST(TaskTrainerTest, WarmStartsTrainsResumesAndExports) {
  if (!HaveTokenModel()) {
    GTEST_SKIP() << "no semantic models in "
                 << semantic::DefaultSemanticModelDir()
                 << " (scripts/fetch-models.sh)";
  }
  const std::string dir = MakeTempDir();
  std::filesystem::create_directories(dir + "/images");
  image::Image img{96, 80, std::vector<uint8_t>(96 * 80 * 3)};
  for (size_t i = 0; i < img.rgb.size(); ++i)
    img.rgb[i] = static_cast<uint8_t>((i * 7) % 251);
  ASSERT_TRUE(image::WritePngFile(img, dir + "/images/a.png").ok());

  TrainOptions rd = TinyOptions(dir);
  rd.out_dir = dir + "/rd";
  rd.steps = 1;
  ASSERT_TRUE(RunRdTraining(rd).ok());

  TaskTrainOptions options;
  options.train = TinyOptions(dir);
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

  absl::StatusOr<codec::TensorFile> model =
      codec::MakeModelFile(*checkpoint, torch::kFloat16, "tiny-task", 1);
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

TEST(TaskTrainerTest, ExplainsAMissingTokenModel) {
  const std::string dir = MakeTempDir();
  TaskTrainOptions options;
  options.train = TinyOptions(dir);
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
