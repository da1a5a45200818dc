#include "models/metrics/token_metrics.h"

#include <cmath>

#include "gtest/gtest.h"

namespace vlmc::metrics {
namespace {

torch::Tensor Tokens(std::vector<float> values, int64_t b, int64_t n,
                     int64_t c) {
  return torch::tensor(values).reshape({b, n, c});
}

double Value(const torch::Tensor& t) { return t.item<double>(); }

TEST(TokenMetricsTest, IdenticalTokens) {
  const torch::Tensor t = torch::randn({2, 6, 4});
  EXPECT_NEAR(Value(MeanTokenCosine(t, t)), 1.0, 1e-6);
  EXPECT_NEAR(Value(TokenSpectrumDistance(t, t)), 0.0, 1e-6);
}

TEST(TokenMetricsTest, ScaledTokensKeepDirectionButNotSpectrum) {
  const torch::Tensor t = torch::randn({2, 6, 4});
  EXPECT_NEAR(Value(MeanTokenCosine(t, 2 * t)), 1.0, 1e-6);
  // s(2T) = 2 s(T): ||2s - s|| / ||s|| = 1.
  EXPECT_NEAR(Value(TokenSpectrumDistance(t, 2 * t)), 1.0, 1e-5);
  EXPECT_NEAR(Value(TokenSpectrumDistance(t, torch::zeros_like(t))), 1.0, 1e-6);
}

TEST(TokenMetricsTest, OrthogonalTokensHaveCosineZeroAndEqualSpectra) {
  // Tokens e1, e2 against e2, -e1: every pair is orthogonal, yet the test
  // tokens are a rotation of the reference, so the spectra agree.
  const torch::Tensor a = Tokens({1, 0, 0, 1}, 1, 2, 2);
  const torch::Tensor b = Tokens({0, 1, -1, 0}, 1, 2, 2);
  EXPECT_NEAR(Value(MeanTokenCosine(a, b)), 0.0, 1e-7);
  EXPECT_NEAR(Value(TokenSpectrumDistance(a, b)), 0.0, 1e-6);
  EXPECT_NEAR(Value(MeanTokenCosine(a, -a)), -1.0, 1e-7);
}

TEST(TokenMetricsTest, HandComputedDiagonalCase) {
  // Reference diag(3, 4): s = (4, 3). Test diag(3, 0): s = (3, 0).
  // Distance ||(-1, -3)|| / ||(4, 3)|| = sqrt(10) / 5. Cosine: the first
  // rows agree (1), the second test row is zero (0): mean 1/2.
  const torch::Tensor a = Tokens({3, 0, 0, 4}, 1, 2, 2);
  const torch::Tensor b = Tokens({3, 0, 0, 0}, 1, 2, 2);
  EXPECT_NEAR(Value(TokenSpectrumDistance(a, b)), std::sqrt(10.0) / 5, 1e-6);
  EXPECT_NEAR(Value(MeanTokenCosine(a, b)), 0.5, 1e-7);
}

TEST(TokenMetricsTest, AveragesOverTheBatch) {
  const torch::Tensor a = torch::randn({2, 5, 3});
  torch::Tensor b = a.clone();
  b[1] *= 2;
  EXPECT_NEAR(Value(TokenSpectrumDistance(a, b)), 0.5, 1e-5);
}

TEST(TokenMetricsTest, SpectrumDistanceIsBoundedByRelativeTokenError) {
  // Mirsky: ||s(B) - s(A)||_2 <= ||B - A||_F.
  torch::manual_seed(3);
  for (int trial = 0; trial < 5; ++trial) {
    const torch::Tensor a = torch::randn({1, 16, 8});
    const torch::Tensor b = a + 0.3 * torch::randn({1, 16, 8});
    const double bound = Value((b - a).norm() / a.norm());
    const double d = Value(TokenSpectrumDistance(a, b));
    EXPECT_GT(d, 0.0);
    EXPECT_LE(d, bound + 1e-6);
  }
}

TEST(TokenMetricsTest, GradientsReachTheTestTokens) {
  const torch::Tensor a = torch::randn({1, 8, 4});
  const torch::Tensor b = (a + 0.1 * torch::randn({1, 8, 4})).requires_grad_();
  const torch::Tensor loss =
      TokenSpectrumDistance(a, b) + (1 - MeanTokenCosine(a, b));
  loss.backward();
  ASSERT_TRUE(b.grad().defined());
  EXPECT_TRUE(torch::isfinite(b.grad()).all().item<bool>());
  EXPECT_GT(b.grad().abs().sum().item<double>(), 0.0);
}

TEST(TokenMetricsTest, RejectsMismatchedShapes) {
  EXPECT_THROW(
      MeanTokenCosine(torch::zeros({1, 2, 3}), torch::zeros({1, 3, 2})),
      c10::Error);
  EXPECT_THROW(
      TokenSpectrumDistance(torch::zeros({2, 3}), torch::zeros({2, 3})),
      c10::Error);
}

}  // namespace
}  // namespace vlmc::metrics
