#include <gtest/gtest.h>

#include "models/nn/factorized_density.h"
#include "models/nn/gain_units.h"
#include "models/nn/gdn.h"
#include "models/nn/layers.h"
#include "models/nn/simplified_gdn.h"

namespace vlmc::nn {
namespace {

TEST(GdnTest, InverseUndoesForwardAtInitialisation) {
  torch::manual_seed(0);
  Gdn gdn(4, false);
  Gdn igdn(4, true);
  torch::Tensor x = torch::randn({2, 4, 5, 5});
  // With diagonal gamma the normaliser depends on x_i only, so IGDN(GDN(x))
  // is not exactly x, but GDN must shrink and IGDN must grow magnitudes.
  EXPECT_LT(gdn->forward(x).abs().sum().item<double>(),
            x.abs().sum().item<double>());
  EXPECT_GT(igdn->forward(x).abs().sum().item<double>(),
            x.abs().sum().item<double>());
}

TEST(SubpixelUpTest, DoublesSpatialSize) {
  auto up = SubpixelUp(8, 3);
  EXPECT_EQ(up->forward(torch::zeros({1, 8, 7, 9})).sizes(),
            torch::IntArrayRef({1, 3, 14, 18}));
}

TEST(SubpixelUpTest, FactorFourQuadruplesSpatialSize) {
  auto up = SubpixelUp(8, 3, 4);
  EXPECT_EQ(up->forward(torch::zeros({1, 8, 7, 9})).sizes(),
            torch::IntArrayRef({1, 3, 28, 36}));
}

TEST(SimplifiedGdnTest, DividesAndMultipliesByTheL1Norm) {
  SimplifiedGdn gdn(2, false);
  SimplifiedGdn igdn(2, true);
  torch::NoGradGuard no_grad;
  for (SimplifiedGdn* layer : {&gdn, &igdn}) {
    auto params = (*layer)->named_parameters();
    params["beta"].copy_(torch::tensor({1.0, 2.0}));
    // Output channel 0 is normalised by 0.5 |x_1|, channel 1 by 0.25 |x_0|;
    // the negative entry acts as 0.
    params["gamma"].copy_(
        torch::tensor({0.0, 0.5, 0.25, -3.0}).view({2, 2, 1, 1}));
  }
  torch::Tensor x = torch::tensor({-4.0, 2.0}).view({1, 2, 1, 1});
  // norms: 1 + 0.5 * 2 = 2 and 2 + 0.25 * 4 = 3.
  EXPECT_TRUE(torch::allclose(gdn->forward(x).flatten(),
                              torch::tensor({-2.0, 2.0 / 3.0})));
  EXPECT_TRUE(
      torch::allclose(igdn->forward(x).flatten(), torch::tensor({-8.0, 6.0})));
}

TEST(StraightThroughTest, ForwardRoundsAndGradientPasses) {
  torch::Tensor x = torch::tensor({0.4, 1.6, -2.5}, torch::requires_grad());
  torch::Tensor y = RoundStraightThrough(x);
  EXPECT_TRUE(torch::equal(y.detach(), torch::round(x.detach())));
  y.sum().backward();
  EXPECT_TRUE(torch::allclose(x.grad(), torch::ones({3})));
}

TEST(FactorizedDensityTest, PmfSumsToOneAndMatchesLikelihood) {
  torch::manual_seed(0);
  FactorizedDensity density(3);
  torch::NoGradGuard no_grad;
  torch::Tensor pmf = density->IntegerPmf(-300, 300);
  ASSERT_EQ(pmf.sizes(), torch::IntArrayRef({3, 601}));
  for (int c = 0; c < 3; ++c)
    EXPECT_NEAR(pmf[c].sum().item<double>(), 1.0, 1e-4);
  torch::Tensor z = torch::zeros({1, 3, 1, 1});
  torch::Tensor lik = density->Likelihood(z).view({3});
  for (int c = 0; c < 3; ++c)
    EXPECT_NEAR(lik[c].item<double>(), pmf[c][300].item<double>(), 1e-6);
}

TEST(GainUnitsTest, EndpointsSelectLevelsAndMidpointIsGeometricMean) {
  GainUnits gains(2, std::vector<double>{0.001, 0.004, 0.016});
  torch::NoGradGuard no_grad;
  torch::Tensor g =
      gains->Gain(torch::tensor({0.0, 0.5, 1.0, 0.25})).view({4, 2});
  EXPECT_NEAR(g[0][0].item<double>(), 0.5, 1e-5);  // sqrt(0.001 / 0.004)
  EXPECT_NEAR(g[1][0].item<double>(), 1.0, 1e-5);
  EXPECT_NEAR(g[2][0].item<double>(), 2.0, 1e-5);
  EXPECT_NEAR(g[3][0].item<double>(), std::sqrt(0.5), 1e-5);
  torch::Tensor inv = gains->InverseGain(torch::tensor({1.0})).view({2});
  EXPECT_NEAR(inv[0].item<double>(), 0.5, 1e-5);
}

TEST(LowerBoundTest, ClampsAndLetsOnlyRisingGradientsThroughBelowTheBound) {
  torch::Tensor x = torch::tensor({0.05, 0.2}, torch::requires_grad());
  torch::Tensor bounded = LowerBound(x, 0.11);
  EXPECT_NEAR(bounded[0].item<double>(), 0.11, 1e-7);
  EXPECT_NEAR(bounded[1].item<double>(), 0.2, 1e-7);
  // Loss growing with the value: descent would push x[0] further down.
  bounded.sum().backward();
  EXPECT_EQ(x.grad()[0].item<double>(), 0.0);
  EXPECT_EQ(x.grad()[1].item<double>(), 1.0);
  // Loss falling with the value: descent raises x[0] back above the bound.
  x.mutable_grad().zero_();
  (-LowerBound(x, 0.11)).sum().backward();
  EXPECT_EQ(x.grad()[0].item<double>(), -1.0);
  EXPECT_EQ(x.grad()[1].item<double>(), -1.0);
}

TEST(GainUnitsTest, ResampleLadderFollowsLogLambdaAndExtendsTheEnds) {
  // Rows 0, 1, 2 at lambdas 1, 4, 16: log(lambda) / log(4) as the row value.
  torch::Tensor table = torch::tensor({0.0, 1.0, 2.0}).view({3, 1});
  torch::Tensor resampled =
      ResampleLadder(table, {1.0, 4.0, 16.0}, {0.25, 2.0, 4.0, 64.0});
  ASSERT_EQ(resampled.size(0), 4);
  EXPECT_NEAR(resampled[0][0].item<double>(), -1.0, 1e-6);  // below the ladder
  EXPECT_NEAR(resampled[1][0].item<double>(), 0.5, 1e-6);
  EXPECT_NEAR(resampled[2][0].item<double>(), 1.0, 1e-6);
  EXPECT_NEAR(resampled[3][0].item<double>(), 3.0, 1e-6);  // above it
}

}  // namespace
}  // namespace vlmc::nn
