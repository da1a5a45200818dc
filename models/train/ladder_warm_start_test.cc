// Warm starts across lambda ladders (training_loop.cc LoadWeights).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

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

}  // namespace
}  // namespace vlmc::train
