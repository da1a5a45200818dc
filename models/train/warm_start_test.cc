// Warm starts onto another lambda ladder or a z density per level
// (training_loop.cc LoadWeights).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "models/bitstream/stream_format.h"
#include "models/codec/codec.h"
#include "models/codec/safetensors.h"
#include "models/nn/gain_units.h"
#include "models/train/rd_trainer.h"
#include "models/train/tiny_training_fixture.h"

namespace vlmc::train {
namespace {

torch::Tensor Stored(const std::string& path, const std::string& name) {
  absl::StatusOr<codec::TensorFile> file = codec::ReadSafetensorsFile(path);
  EXPECT_TRUE(file.ok()) << file.status();
  return file.ok() ? file->tensors.at(name).to(torch::kFloat32)
                   : torch::Tensor();
}

// With a learning rate of 0 the new run's gains are exactly the old ones
// resampled at the new ladder's lambdas; resuming on a third ladder fails.
TEST(LadderWarmStartTest, GainsMoveToTheNewLadderAndResumeKeepsIt) {
  const std::string dir = MakeTempDir();
  TrainOptions options = TinyTrainOptions(dir);
  options.out_dir = dir + "/old";
  options.steps = 1;
  options.learning_rate = 0;
  const std::vector<double> old_ladder = options.config.level_lambdas;
  ASSERT_TRUE(RunRdTraining(options).ok());
  const std::string old_checkpoint =
      options.out_dir + "/checkpoint.safetensors";

  const std::vector<double> new_ladder = {old_ladder.front() / 4,
                                          old_ladder.back()};
  options.config.level_lambdas = new_ladder;
  options.init_weights = old_checkpoint;
  options.out_dir = dir + "/new";
  ASSERT_TRUE(RunRdTraining(options).ok());
  const std::string new_checkpoint =
      options.out_dir + "/checkpoint.safetensors";
  for (const char* name : {"gains.log_gain", "gains.log_inverse_gain"}) {
    torch::Tensor expected = nn::ResampleLadder(Stored(old_checkpoint, name),
                                                old_ladder, new_ladder);
    torch::Tensor got = Stored(new_checkpoint, name);
    ASSERT_EQ(got.sizes(), expected.sizes()) << name;
    EXPECT_TRUE(torch::allclose(got, expected, 1e-5, 1e-6)) << name;
  }

  options.config.level_lambdas = old_ladder;
  options.steps = 2;
  const absl::Status resumed = RunRdTraining(options);
  EXPECT_EQ(resumed.code(), absl::StatusCode::kFailedPrecondition) << resumed;
  EXPECT_NE(resumed.message().find("lambda ladder"), std::string::npos)
      << resumed;
  std::filesystem::remove_all(dir);
}

// A model with a z density per level warm-started on a ladder with one more
// level on top: the old levels keep their densities and the new one starts
// from the old top level's (its nearest in log lambda).
TEST(LadderWarmStartTest, PerLevelZDensitiesFollowTheNearestOldLevel) {
  const std::string dir = MakeTempDir();
  TrainOptions options = TinyTrainOptions(dir);
  options.config.z_density_per_level = true;
  options.out_dir = dir + "/old";
  options.steps = 1;
  options.learning_rate = 0;
  const std::vector<double> old_ladder = options.config.level_lambdas;
  ASSERT_TRUE(RunRdTraining(options).ok());
  const std::string old_checkpoint =
      options.out_dir + "/checkpoint.safetensors";

  std::vector<double> new_ladder = old_ladder;
  new_ladder.push_back(old_ladder.back() * 3);
  options.config.level_lambdas = new_ladder;
  options.init_weights = old_checkpoint;
  options.out_dir = dir + "/new";
  ASSERT_TRUE(RunRdTraining(options).ok());
  const std::string new_checkpoint =
      options.out_dir + "/checkpoint.safetensors";
  const int64_t n = options.config.channels_n;
  const int64_t old_levels = static_cast<int64_t>(old_ladder.size());
  for (const char* name : {"z_density.bias0", "z_density.matrix1"}) {
    const torch::Tensor before = Stored(old_checkpoint, name);
    const torch::Tensor after = Stored(new_checkpoint, name);
    ASSERT_EQ(after.size(0), (old_levels + 1) * n) << name;
    EXPECT_TRUE(torch::equal(after.slice(0, 0, old_levels * n), before))
        << name;
    EXPECT_TRUE(torch::equal(after.slice(0, old_levels * n),
                             before.slice(0, (old_levels - 1) * n)))
        << name;
  }
  std::filesystem::remove_all(dir);
}

absl::StatusOr<std::unique_ptr<codec::Codec>> ExportAndLoad(
    const codec::TensorFile& checkpoint) {
  absl::StatusOr<codec::TensorFile> model =
      codec::MakeModelFile(checkpoint, torch::kFloat16, "vlmc-test", 1);
  if (!model.ok()) return model.status();
  absl::StatusOr<std::string> bytes = codec::SerializeSafetensors(*model);
  if (!bytes.ok()) return bytes.status();
  return codec::Codec::FromModelBytes(*bytes);
}

// A shared z density copied to every level codes exactly as before. With
// the top level's copy then moved away from where z lies, q = 0 still codes
// z with the untouched tables (the same bytes) and q = 1 with the moved ones
// (more bytes), while the pixels stay those of the shared model: encoder and
// decoder pick the same level's tables.
TEST(ZDensityWarmStartTest, EachLevelCodesWithItsOwnTables) {
  const std::string dir = MakeTempDir();
  TrainOptions options = TinyTrainOptions(dir);
  options.out_dir = dir + "/shared";
  options.steps = 1;
  options.learning_rate = 0;
  ASSERT_TRUE(RunRdTraining(options).ok());
  const std::string shared = options.out_dir + "/checkpoint.safetensors";
  options.config.z_density_per_level = true;
  options.init_weights = shared;
  options.out_dir = dir + "/per_level";
  ASSERT_TRUE(RunRdTraining(options).ok());
  const std::string per_level = options.out_dir + "/checkpoint.safetensors";
  const int64_t levels =
      static_cast<int64_t>(options.config.level_lambdas.size());
  const int64_t n = options.config.channels_n;
  EXPECT_TRUE(
      torch::equal(Stored(per_level, "z_density.bias0"),
                   Stored(shared, "z_density.bias0").repeat({levels, 1, 1})));

  absl::StatusOr<codec::TensorFile> shared_file =
      codec::ReadSafetensorsFile(shared);
  absl::StatusOr<codec::TensorFile> per_level_file =
      codec::ReadSafetensorsFile(per_level);
  ASSERT_TRUE(shared_file.ok() && per_level_file.ok());
  torch::Tensor& last_bias = per_level_file->tensors.at("z_density.bias3");
  last_bias.slice(0, (levels - 1) * n, levels * n).add_(4.0);
  absl::StatusOr<std::unique_ptr<codec::Codec>> shared_codec =
      ExportAndLoad(*shared_file);
  absl::StatusOr<std::unique_ptr<codec::Codec>> per_level_codec =
      ExportAndLoad(*per_level_file);
  ASSERT_TRUE(shared_codec.ok()) << shared_codec.status();
  ASSERT_TRUE(per_level_codec.ok()) << per_level_codec.status();

  const image::Image img = TinyTrainingImage();
  for (double quality : {0.0, 1.0}) {
    absl::StatusOr<std::string> a = (*shared_codec)->Compress(img, quality);
    absl::StatusOr<std::string> b = (*per_level_codec)->Compress(img, quality);
    ASSERT_TRUE(a.ok() && b.ok());
    absl::StatusOr<bitstream::ParsedStream> parsed_a =
        bitstream::ParseStream(*a);
    absl::StatusOr<bitstream::ParsedStream> parsed_b =
        bitstream::ParseStream(*b);
    ASSERT_TRUE(parsed_a.ok() && parsed_b.ok());
    if (quality == 0.0) {
      EXPECT_EQ(parsed_a->z_segment, parsed_b->z_segment);
    } else {
      EXPECT_GT(parsed_b->z_segment.size(), parsed_a->z_segment.size());
    }
    absl::StatusOr<image::Image> decoded_a = (*shared_codec)->Decompress(*a);
    absl::StatusOr<image::Image> decoded_b = (*per_level_codec)->Decompress(*b);
    ASSERT_TRUE(decoded_a.ok()) << decoded_a.status();
    ASSERT_TRUE(decoded_b.ok()) << decoded_b.status();
    EXPECT_EQ(decoded_a->rgb, decoded_b->rgb) << "quality " << quality;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vlmc::train
