#ifndef VLMC_MODELS_TRAIN_TASK_LOSS_H_
#define VLMC_MODELS_TRAIN_TASK_LOSS_H_

#include <torch/torch.h>

#include <vector>

#include "absl/status/status.h"
#include "models/codec/hyperprior_network.h"

namespace vlmc::train {

// The joint objective of DESIGN §1, L = λR·LR + λD·LD + λT·(λtk·Ltk + λrk·Lrk),
// per crop b with quality q_b and λ(q) = LambdaForQuality (the codec's ladder):
//
//   L_b = w_b · [ rate·bpp_b
//                 + λ(q_b)·( distortion·255²·MSE_b
//                            + task·(token·Ltk_b + rank·Lrk_b) ) ]
//   w_b = (λ_min / λ(q_b))^level_balance            (LevelBalanceWeights)
//
// i.e. λR(q) = rate / λ(q) with each crop scaled by λ(q)·w_b. Written this way
// task = 0, distortion = 1, rate = 1 is exactly RateDistortion's loss, so a
// warm start from a rate-distortion model continues at the same loss scale,
// and the task terms are a distortion measured at the crop's own λ: one model
// learns every rate through the gain units, as in rate-distortion training.
//
// Defaults, calibrated on the magnitudes vlmc-task-step-cost printed for
// vlmc-hp v2 on 128x128 and 192x192 crops of ../shared/data (train, coco,
// photos) with stride-16 tokens at crop resolution: at q = 0 / 0.5 / 1,
// 255²·MSE = 350 / 112 / 135, Ltk = 0.41 / 0.18 / 0.11, Lrk = 0.21 / 0.11 /
// 0.08. With task = 400 and token = rank = 1 the token terms at mid quality
// (400 · 0.29 = 116) weigh what the whole pixel term weighs in
// rate-distortion training, so the ladder keeps roughly its rates; the pixel
// term keeps a tenth (distortion = 0.1) to hold colours and flat areas the
// tokens ignore. rate and level_balance as in rate-distortion training.
struct TaskLossWeights {
  double rate = 1.0;
  double distortion = 0.1;
  double task = 400.0;
  double token = 1.0;
  double rank = 1.0;
  // Spectrum floor of Lrk relative to the reference's mean eigenvalue:
  // directions with less energy than this are treated as noise.
  double rank_ridge = 1e-3;
  double level_balance = 0.5;
  // Ltk's token weights: token i counts with ||T(x)_i||^token_energy_power
  // (0: every token alike, the reported cosine). Above 0 the weak tokens of
  // flat regions, whose direction a little noise turns, count less than the
  // strong tokens of objects. In [0, 4].
  double token_energy_power = 0.0;
};

// INVALID_ARGUMENT unless every weight is finite and >= 0, rank_ridge > 0,
// level_balance is in [0, 2] and token_energy_power in [0, 4].
absl::Status ValidateTaskLossWeights(const TaskLossWeights& weights);

// Token tensors below are [B, n, C] (TokenModel::Tokens): `reference` = T(x),
// usually computed without autograd; `test` = T(x^), differentiable.

// Per-crop token cosine [B]: mean over the n token pairs of cos(T(x), T(x^))
// (eps 1e-8 as metrics::MeanTokenCosine). Ltk = 1 - this.
torch::Tensor TokenCosine(const torch::Tensor& reference,
                          const torch::Tensor& test);

// Per-crop weighted token cosine [B]: sum_i w_i·cos_i / sum_i w_i with
// w_i = ||reference_i||^power, the weights constant for the gradient. Power 0
// is TokenCosine.
torch::Tensor WeightedTokenCosine(const torch::Tensor& reference,
                                  const torch::Tensor& test, double power);

// Eigenvalues [B, k], k = min(n, C), descending, float64, of the token Gram
// matrix T^T T / n (or T T^T / n when n < C: the same non-zero eigenvalues):
// the squared singular values of T / sqrt(n), i.e. the token energy per
// principal direction.
torch::Tensor TokenSpectrum(const torch::Tensor& tokens);

// Lrk per crop [B], float32:
//   Lrk = sum_i w_i·| log(e^_i + δ) - log(e_i + δ) | / sum_i w_i,
//   δ = ridge · mean_i e_i,   w_i = e_i / (e_i + δ),
// e, e^ = TokenSpectrum of T(x), T(x^) (paired by rank), δ and w from T(x)
// and constant for the gradient. For e_i >> δ each term is
// 2·|log(σ^_i / σ_i)| with σ the singular values: every direction T(x)
// occupies counts by its relative change, so losing the weak directions
// (rank collapse) costs as much as distorting the strong ones, and a global
// rescale by a costs 2|log a|. See the .cc for why this form.
torch::Tensor TokenRankLoss(const torch::Tensor& reference,
                            const torch::Tensor& test, double ridge);

// Per-crop terms [B] and the scalar loss. `cosine` has no gradient.
struct TaskTerms {
  torch::Tensor bpp;
  torch::Tensor mse;     // x^ against the original x (not the pre-edited x')
  torch::Tensor cosine;  // token cosine, the reported metric
  // Ltk = 1 - WeightedTokenCosine(token_energy_power): 1 - cosine at power 0
  torch::Tensor token;
  torch::Tensor rank;  // Lrk
  torch::Tensor loss;
};

// `lambda` [B] = LambdaForQuality(config, quality); `lambda_min` the ladder's
// first entry. `reference_tokens` = T(x), `tokens` = T(x^), one token matrix
// per feature map (TokenModel::TokenMaps), paired by position. With several
// maps, cosine, Ltk and Lrk are the means of their per-map values: each is
// scale-free (a cosine, a log ratio), so every map weighs the same whatever
// its channel or token count, and no one stride of the backbone dominates.
TaskTerms TaskObjective(const codec::TrainingOutput& out,
                        const torch::Tensor& x,
                        const std::vector<torch::Tensor>& reference_tokens,
                        const std::vector<torch::Tensor>& tokens,
                        const torch::Tensor& lambda, double lambda_min,
                        const TaskLossWeights& weights);

}  // namespace vlmc::train

#endif  // VLMC_MODELS_TRAIN_TASK_LOSS_H_
