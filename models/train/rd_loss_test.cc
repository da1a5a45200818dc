#include "models/train/rd_loss.h"

#include <gtest/gtest.h>

namespace vlmc::train {
namespace {

TEST(RdLossTest, LambdaFollowsTheLadderLogLinearly) {
  codec::CodecConfig config;
  config.level_lambdas = {0.001, 0.01, 0.1};
  torch::Tensor lambda =
      LambdaForQuality(config, torch::tensor({0.0f, 0.25f, 0.5f, 1.0f}));
  EXPECT_NEAR(lambda[0].item<double>(), 0.001, 1e-9);
  EXPECT_NEAR(lambda[1].item<double>(), std::sqrt(0.001 * 0.01), 1e-8);
  EXPECT_NEAR(lambda[2].item<double>(), 0.01, 1e-8);
  EXPECT_NEAR(lambda[3].item<double>(), 0.1, 1e-7);
}

TEST(RdLossTest, BalanceWeightsScaleWithInverseRootLambda) {
  torch::Tensor lambda = torch::tensor({0.001, 0.004, 0.1});
  torch::Tensor half = LevelBalanceWeights(lambda, 0.001, 0.5);
  EXPECT_NEAR(half[0].item<double>(), 1.0, 1e-6);
  EXPECT_NEAR(half[1].item<double>(), 0.5, 1e-6);
  EXPECT_NEAR(half[2].item<double>(), 0.1, 1e-6);
  torch::Tensor none = LevelBalanceWeights(lambda, 0.001, 0.0);
  EXPECT_TRUE(torch::equal(none, torch::ones_like(lambda)));
}

TEST(RdLossTest, LossIsTheWeightedMeanOfRatePlusScaledDistortion) {
  // One 2x2 pixel image per crop; likelihood 1/2 per latent element = 1 bit.
  torch::Tensor x = torch::zeros({2, 3, 2, 2});
  codec::TrainingOutput out;
  out.x_hat = torch::full({2, 3, 2, 2}, 0.1);
  out.y_likelihood = torch::full({2, 4, 1, 1}, 0.5);  // 4 bits per crop
  out.z_likelihood = torch::ones({2, 1, 1, 1});       // 0 bits
  torch::Tensor lambda = torch::tensor({0.001, 0.004});
  RdTerms terms =
      RateDistortion(out, x, lambda, LevelBalanceWeights(lambda, 0.001, 0.5));
  EXPECT_NEAR(terms.bpp[0].item<double>(), 1.0, 1e-6);
  EXPECT_NEAR(terms.mse[1].item<double>(), 0.01, 1e-7);
  const double d = 255.0 * 255.0 * 0.01;
  const double expected = 0.5 * ((1.0 + 0.001 * d) + 0.5 * (1.0 + 0.004 * d));
  EXPECT_NEAR(terms.loss.item<double>(), expected, 1e-4);
}

}  // namespace
}  // namespace vlmc::train
