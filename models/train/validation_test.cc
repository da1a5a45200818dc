#include "models/train/validation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "models/codec/safetensors.h"
#include "models/image/image_io.h"
#include "models/train/rd_loss.h"
#include "models/train/rd_trainer.h"
#include "models/train/tiny_training_fixture.h"

namespace vlmc::train {
namespace {

// The score is the level-weighted objective of its own points (one image).
TEST(ValidationTest, ScoreIsTheWeightedObjectiveOfThePoints) {
  const std::string dir = MakeTempDir();
  const TrainOptions options = TinyTrainOptions(dir);
  torch::manual_seed(3);
  codec::HyperpriorNetwork network(options.config);
  absl::StatusOr<std::vector<ValidationImage>> images =
      LoadValidationImages({dir + "/images/a.png"});
  ASSERT_TRUE(images.ok()) << images.status();
  ASSERT_EQ(images->size(), 1u);
  EXPECT_EQ((*images)[0].padded.size(2), 128);  // 80 rows padded to 128
  EXPECT_EQ((*images)[0].height, 80);
  const ValidationResult result =
      Validate(network, options.config, *images, {0.0, 1.0}, 0.5);
  ASSERT_EQ(result.points.size(), 2u);
  double expected = 0;
  const double lambda_min = options.config.level_lambdas.front();
  for (const ValidationPoint& p : result.points) {
    EXPECT_GT(p.bpp, 0);
    const double mse = std::pow(10.0, -p.psnr / 10.0);
    expected += std::sqrt(lambda_min / p.lambda) *
                (p.bpp + p.lambda * 255 * 255 * mse) / 2;
  }
  EXPECT_NEAR(result.points[0].lambda, lambda_min, 1e-6 * lambda_min);
  EXPECT_NEAR(result.points[1].lambda, options.config.level_lambdas.back(),
              1e-6 * options.config.level_lambdas.back());
  EXPECT_NEAR(result.score, expected, 1e-6 * expected);
  EXPECT_TRUE(network->is_training());
  std::filesystem::remove_all(dir);
}

// With a learning rate of 0 every checkpoint validates exactly like the
// start: the start is the only best, and best.safetensors keeps step 0.
TEST(ValidationTest, OnlyAStrictImprovementReplacesTheBest) {
  const std::string dir = MakeTempDir();
  TrainOptions options = TinyTrainOptions(dir);
  options.out_dir = dir + "/run";
  options.steps = 2;
  options.learning_rate = 0;
  options.validation_images = {dir + "/images/a.png"};
  ASSERT_TRUE(RunRdTraining(options).ok());
  std::ifstream tsv(options.out_dir + "/validation.tsv");
  std::string line;
  std::vector<double> scores;
  std::getline(tsv, line);  // header
  while (std::getline(tsv, line)) {
    std::vector<std::string> fields = absl::StrSplit(line, '\t');
    ASSERT_GE(fields.size(), 2u);
    double score = 0;
    ASSERT_TRUE(absl::SimpleAtod(fields[1], &score));
    scores.push_back(score);
  }
  ASSERT_EQ(scores.size(), 3u);  // steps 0, 1 and 2
  EXPECT_EQ(scores[0], scores[2]);
  absl::StatusOr<codec::TensorFile> best =
      codec::ReadSafetensorsFile(options.out_dir + "/best.safetensors");
  ASSERT_TRUE(best.ok()) << best.status();
  EXPECT_EQ(best->metadata.at("step"), "0");

  // A run that resumes in the same folder holds its checkpoints to the
  // stored best score too, and logs only its new checkpoints.
  options.steps = 3;
  ASSERT_TRUE(RunRdTraining(options).ok());
  best = codec::ReadSafetensorsFile(options.out_dir + "/best.safetensors");
  ASSERT_TRUE(best.ok()) << best.status();
  EXPECT_EQ(best->metadata.at("step"), "0");
  std::ifstream resumed_tsv(options.out_dir + "/validation.tsv");
  int rows = 0;
  for (std::string row; std::getline(resumed_tsv, row);) ++rows;
  EXPECT_EQ(rows, 5);  // header, steps 0, 1, 2 and 3
  std::filesystem::remove_all(dir);
}

TEST(ValidationTest, MissingImageFailsTheRunNamingIt) {
  const std::string dir = MakeTempDir();
  TrainOptions options = TinyTrainOptions(dir);
  options.out_dir = dir + "/run";
  options.steps = 1;
  options.validation_images = {dir + "/images/missing.png"};
  const absl::Status status = RunRdTraining(options);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("missing.png"), std::string::npos) << status;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vlmc::train
