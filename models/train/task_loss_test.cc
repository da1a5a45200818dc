#include "models/train/task_loss.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "models/image/image_io.h"
#include "models/semantic/detector.h"
#include "models/semantic/preprocess.h"
#include "models/semantic/token_model.h"
#include "models/train/rd_loss.h"

namespace vlmc::train {
namespace {

// [B, n, C] tokens with a decaying spectrum (singular values 1, decay,
// decay^2, ...), like a backbone's features, rather than white noise's flat
// one.
torch::Tensor DecayingTokens(int64_t b, int64_t n, int64_t c,
                             double decay = 0.95) {
  const int64_t k = std::min(n, c);
  const torch::Tensor u =
      std::get<0>(torch::linalg_qr(torch::randn({b, n, k})));
  const torch::Tensor v =
      std::get<0>(torch::linalg_qr(torch::randn({b, c, k})));
  const torch::Tensor s = torch::pow(decay, torch::arange(k).to(torch::kFloat));
  return torch::matmul(u * s, v.transpose(1, 2)) * std::sqrt(double(n));
}

// The best rank-r approximation of `t` (truncated SVD).
torch::Tensor Truncate(const torch::Tensor& t, int64_t r) {
  auto [u, s, vh] = torch::linalg_svd(t, /*full_matrices=*/false, c10::nullopt);
  return torch::matmul(u.narrow(2, 0, r) * s.narrow(1, 0, r).unsqueeze(1),
                       vh.narrow(1, 0, r));
}

TEST(TaskLossTest, ZeroWhenTokensAreEqual) {
  torch::manual_seed(0);
  const torch::Tensor t = DecayingTokens(2, 64, 88);
  EXPECT_NEAR(TokenCosine(t, t).min().item<float>(), 1.0f, 1e-6);
  EXPECT_EQ(TokenRankLoss(t, t.clone(), 1e-3).abs().max().item<float>(), 0.0f);
}

TEST(TaskLossTest, PositiveAndDecreasingTowardsTheReference) {
  torch::manual_seed(0);
  for (int64_t n : {64, 144}) {  // fewer and more tokens than channels
    const torch::Tensor t = DecayingTokens(2, n, 88);
    const torch::Tensor noise = torch::randn_like(t);
    float last_token = 1e9f, last_rank = 1e9f;
    for (double scale : {1.0, 0.3, 0.1, 0.03}) {
      const torch::Tensor test = t + scale * noise;
      const float token = (1.0 - TokenCosine(t, test)).mean().item<float>();
      const float rank = TokenRankLoss(t, test, 1e-3).mean().item<float>();
      EXPECT_GT(token, 0.0f) << n << " " << scale;
      EXPECT_GT(rank, 0.0f) << n << " " << scale;
      EXPECT_LT(token, last_token) << n << " " << scale;
      EXPECT_LT(rank, last_rank) << n << " " << scale;
      last_token = token;
      last_rank = rank;
    }
  }
}

// Two tokens, one strong (norm 10) and one weak (norm 1); the test turns the
// strong one by 90 degrees and leaves the weak one: cos = (0, 1).
TEST(TaskLossTest, WeightedCosineWeighsTokensByReferenceNorm) {
  const torch::Tensor reference =
      torch::tensor({10.0f, 0.0f, 0.0f, 1.0f}).reshape({1, 2, 2});
  const torch::Tensor test =
      torch::tensor({0.0f, 10.0f, 0.0f, 1.0f}).reshape({1, 2, 2});
  EXPECT_NEAR(WeightedTokenCosine(reference, test, 0.0).item<float>(), 0.5f,
              1e-6);
  EXPECT_NEAR(TokenCosine(reference, test).item<float>(), 0.5f, 1e-6);
  // Norm weights 10 and 1: 1 / 11. Energy weights 100 and 1: 1 / 101.
  EXPECT_NEAR(WeightedTokenCosine(reference, test, 1.0).item<float>(),
              1.0f / 11, 1e-6);
  EXPECT_NEAR(WeightedTokenCosine(reference, test, 2.0).item<float>(),
              1.0f / 101, 1e-6);
  // The weights are constants for the gradient: it equals that of the same
  // sum with the weights computed apart.
  torch::manual_seed(0);
  const torch::Tensor a = torch::randn({1, 5, 4});
  const torch::Tensor b = torch::randn({1, 5, 4});
  const torch::Tensor ref = a.clone().requires_grad_(true);
  WeightedTokenCosine(ref, b, 1.0).sum().backward();
  const torch::Tensor weights = a.norm(2, -1);
  const torch::Tensor manual_ref = a.clone().requires_grad_(true);
  ((weights * torch::cosine_similarity(manual_ref, b, -1, 1e-8)).sum() /
   weights.sum())
      .backward();
  EXPECT_TRUE(torch::allclose(ref.grad(), manual_ref.grad(), 1e-5, 1e-6));
  // And for the reconstruction's tokens, which is what training moves.
  const torch::Tensor test_tokens = b.clone().requires_grad_(true);
  WeightedTokenCosine(a, test_tokens, 1.0).sum().backward();
  const torch::Tensor manual_test = b.clone().requires_grad_(true);
  ((weights * torch::cosine_similarity(a, manual_test, -1, 1e-8)).sum() /
   weights.sum())
      .backward();
  EXPECT_TRUE(
      torch::allclose(test_tokens.grad(), manual_test.grad(), 1e-5, 1e-6));
}

TEST(TaskLossTest, RankLossSeesRankCollapseMoreThanEqualNormNoise) {
  torch::manual_seed(0);
  // Rank 1 on a steep and a flat spectrum, and the weak half of the
  // directions dropped (a small error in norm) on the flat one.
  for (const auto& [decay, rank] : std::vector<std::pair<double, int64_t>>{
           {0.8, 1}, {0.95, 1}, {0.95, 44}}) {
    const torch::Tensor t = DecayingTokens(1, 144, 88, decay);
    const torch::Tensor collapsed = Truncate(t, rank);
    const torch::Tensor noise = torch::randn_like(t);
    const torch::Tensor noisy =
        t + noise * ((t - collapsed).norm() / noise.norm());
    EXPECT_NEAR((noisy - t).norm().item<float>(),
                (collapsed - t).norm().item<float>(), 1e-3);
    const float l_collapsed = TokenRankLoss(t, collapsed, 1e-3).item<float>();
    const float l_noisy = TokenRankLoss(t, noisy, 1e-3).item<float>();
    EXPECT_GT(l_collapsed, 1.5f * l_noisy)
        << "decay " << decay << " rank " << rank << ": " << l_collapsed
        << " vs " << l_noisy << ", relative error "
        << ((t - collapsed).norm() / t.norm()).item<float>();
  }
}

TEST(TaskLossTest, RankLossOfARescaleIsTwiceTheLogOfTheScale) {
  torch::manual_seed(0);
  const torch::Tensor t = DecayingTokens(1, 144, 88);
  // Every eigenvalue is far above a 1e-9 floor here.
  EXPECT_NEAR(TokenRankLoss(t, 2.0 * t, 1e-9).item<float>(),
              2.0 * std::log(2.0), 1e-3);
  EXPECT_NEAR(TokenRankLoss(t, 0.5 * t, 1e-9).item<float>(),
              2.0 * std::log(2.0), 1e-3);
}

TEST(TaskLossTest, GradientsFiniteAtRepeatedAndZeroSingularValues) {
  torch::manual_seed(0);
  const torch::Tensor reference = DecayingTokens(2, 64, 88);
  // Orthonormal columns (all singular values equal), a rank-1 matrix (63
  // zero singular values), and all zeros.
  std::vector<torch::Tensor> tests = {
      std::get<0>(torch::linalg_qr(torch::randn({2, 88, 64})))
          .transpose(1, 2)
          .contiguous(),
      torch::randn({2, 64, 1}) * torch::randn({2, 1, 88}),
      torch::zeros({2, 64, 88})};
  for (torch::Tensor test : tests) {
    test.requires_grad_(true);
    (TokenRankLoss(reference, test, 1e-3).sum() +
     (1.0 - TokenCosine(reference, test)).sum())
        .backward();
    ASSERT_TRUE(test.grad().defined());
    EXPECT_TRUE(torch::isfinite(test.grad()).all().item<bool>());
  }
  EXPECT_GT(tests[0].grad().abs().sum().item<float>(), 0.0f);
  EXPECT_GT(tests[1].grad().abs().sum().item<float>(), 0.0f);
}

codec::TrainingOutput FakeOutput(const torch::Tensor& x) {
  codec::TrainingOutput out;
  out.x_hat = x + 0.05 * torch::randn_like(x);
  out.y_likelihood = torch::rand({x.size(0), 8, 4, 4}) * 0.9 + 0.05;
  out.z_likelihood = torch::rand({x.size(0), 4, 1, 1}) * 0.9 + 0.05;
  return out;
}

TEST(TaskObjectiveTest, ReducesToRateDistortionWithoutTaskTerms) {
  torch::manual_seed(0);
  const torch::Tensor x = torch::rand({3, 3, 64, 64});
  const codec::TrainingOutput out = FakeOutput(x);
  const torch::Tensor lambda = torch::tensor({0.001, 0.01, 0.05});
  const torch::Tensor ref = DecayingTokens(3, 16, 88);
  const torch::Tensor tokens = ref + 0.1 * torch::randn_like(ref);
  TaskLossWeights w;
  w.task = 0.0;
  w.distortion = 1.0;
  const RdTerms rd = RateDistortion(
      out, x, lambda, LevelBalanceWeights(lambda, 0.001, w.level_balance));
  const TaskTerms terms =
      TaskObjective(out, x, {ref}, {tokens}, lambda, 0.001, w);
  EXPECT_NEAR(terms.loss.item<float>(), rd.loss.item<float>(), 1e-5);

  // The task terms enter at each crop's lambda and balance weight.
  w.task = 100.0;
  w.rank = 0.5;
  const TaskTerms with_task =
      TaskObjective(out, x, {ref}, {tokens}, lambda, 0.001, w);
  const torch::Tensor expected_extra =
      (LevelBalanceWeights(lambda, 0.001, w.level_balance) * lambda * 100.0 *
       (with_task.token + 0.5 * with_task.rank))
          .mean();
  EXPECT_NEAR(with_task.loss.item<float>(),
              rd.loss.item<float>() + expected_extra.item<float>(), 1e-4);
  EXPECT_TRUE(torch::allclose(with_task.token, 1.0 - with_task.cosine));
  EXPECT_FALSE(with_task.cosine.requires_grad());
}

TEST(TaskObjectiveTest, SeveralMapsWeighAlike) {
  torch::manual_seed(1);
  const torch::Tensor x = torch::rand({2, 3, 64, 64});
  const codec::TrainingOutput out = FakeOutput(x);
  const torch::Tensor lambda = torch::tensor({0.001, 0.02});
  // A fine map with many narrow tokens and a coarse one with few wide ones,
  // distorted by different amounts.
  const torch::Tensor fine = DecayingTokens(2, 64, 40);
  const torch::Tensor coarse = DecayingTokens(2, 4, 480);
  const torch::Tensor fine_test = fine + 0.05 * torch::randn_like(fine);
  const torch::Tensor coarse_test = coarse + 0.3 * torch::randn_like(coarse);
  const TaskLossWeights w;
  const TaskTerms a =
      TaskObjective(out, x, {fine}, {fine_test}, lambda, 0.001, w);
  const TaskTerms b =
      TaskObjective(out, x, {coarse}, {coarse_test}, lambda, 0.001, w);
  const TaskTerms both = TaskObjective(
      out, x, {fine, coarse}, {fine_test, coarse_test}, lambda, 0.001, w);
  EXPECT_TRUE(torch::allclose(both.cosine, (a.cosine + b.cosine) / 2));
  EXPECT_TRUE(torch::allclose(both.token, (a.token + b.token) / 2));
  EXPECT_TRUE(torch::allclose(both.rank, (a.rank + b.rank) / 2));
  EXPECT_FALSE(torch::allclose(a.token, b.token, 1e-3, 1e-3));
  EXPECT_TRUE(torch::allclose(both.bpp, a.bpp));
  EXPECT_THROW(
      TaskObjective(out, x, {fine, coarse}, {fine_test}, lambda, 0.001, w),
      c10::Error);
}

TEST(TaskObjectiveTest, ValidatesWeights) {
  EXPECT_TRUE(ValidateTaskLossWeights(TaskLossWeights{}).ok());
  TaskLossWeights w;
  w.rank = -1.0;
  EXPECT_EQ(ValidateTaskLossWeights(w).code(),
            absl::StatusCode::kInvalidArgument);
  w = TaskLossWeights{};
  w.task = std::nan("");
  EXPECT_FALSE(ValidateTaskLossWeights(w).ok());
  w = TaskLossWeights{};
  w.rank_ridge = 0.0;
  EXPECT_FALSE(ValidateTaskLossWeights(w).ok());
  w = TaskLossWeights{};
  w.level_balance = 3.0;
  EXPECT_FALSE(ValidateTaskLossWeights(w).ok());
  w = TaskLossWeights{};
  w.token_energy_power = -1.0;
  EXPECT_FALSE(ValidateTaskLossWeights(w).ok());
  w.token_energy_power = 2.0;
  EXPECT_TRUE(ValidateTaskLossWeights(w).ok());
}

// On the real CenterNet tokens (skipped without scripts/fetch-models.sh).
TEST(TaskLossTokenModelTest, LossesShrinkAsTheImageApproachesTheOriginal) {
  if (!std::filesystem::exists(semantic::DefaultSemanticModelDir() +
                               "/centernet.json")) {
    GTEST_SKIP() << "no models in " << semantic::DefaultSemanticModelDir();
  }
  semantic::TokenModelOptions options;
  options.input_size = 128;  // 8x8 tokens: fast, as in CPU training
  absl::StatusOr<std::unique_ptr<semantic::TokenModel>> model =
      semantic::TokenModel::Load(options);
  ASSERT_TRUE(model.ok()) << model.status();
  absl::StatusOr<image::Image> img = image::ReadImageFile(
      std::string(VLMC_SOURCE_DIR) +
      "/tests/data/semantic/inputs/centernet_000000000009.png");
  ASSERT_TRUE(img.ok()) << img.status();
  const torch::Tensor x = torch::avg_pool2d(
      semantic::ImageToTensor(*img, torch::kCPU) / 255.0f, 4);  // 128x128
  torch::Tensor reference;
  {
    torch::NoGradGuard no_grad;
    reference = *(*model)->Tokens(x);
  }
  torch::manual_seed(0);
  const torch::Tensor noise = torch::randn_like(x);
  float last_token = 1e9f, last_rank = 1e9f;
  for (double scale : {0.2, 0.05, 0.01}) {
    torch::Tensor x_hat = (x + scale * noise).requires_grad_(true);
    absl::StatusOr<torch::Tensor> tokens = (*model)->Tokens(x_hat);
    ASSERT_TRUE(tokens.ok()) << tokens.status();
    const torch::Tensor token = 1.0 - TokenCosine(reference, *tokens);
    const torch::Tensor rank = TokenRankLoss(reference, *tokens, 1e-3);
    (token + rank).sum().backward();
    EXPECT_TRUE(torch::isfinite(x_hat.grad()).all().item<bool>());
    EXPECT_GT(x_hat.grad().abs().sum().item<float>(), 0.0f);
    EXPECT_GT(token.item<float>(), 0.0f) << scale;
    EXPECT_LT(token.item<float>(), last_token) << scale;
    EXPECT_LT(rank.item<float>(), last_rank) << scale;
    last_token = token.item<float>();
    last_rank = rank.item<float>();
  }
  torch::NoGradGuard no_grad;
  const torch::Tensor same = *(*model)->Tokens(x.clone());
  EXPECT_LT((1.0 - TokenCosine(reference, same)).item<float>(), 1e-5);
  EXPECT_LT(TokenRankLoss(reference, same, 1e-3).item<float>(), 1e-4);
}

}  // namespace
}  // namespace vlmc::train
