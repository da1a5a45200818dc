#include "models/train/task_loss.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "models/train/rd_loss.h"

namespace vlmc::train {
namespace {

void CheckTokens(const torch::Tensor& reference, const torch::Tensor& test) {
  TORCH_CHECK(reference.dim() == 3 && reference.sizes() == test.sizes(),
              "token tensors must be [B, n, C] of equal shape, got ",
              reference.sizes(), " and ", test.sizes());
}

}  // namespace

absl::Status ValidateTaskLossWeights(const TaskLossWeights& w) {
  for (const auto& [name, value] :
       {std::pair<const char*, double>{"rate", w.rate},
        {"distortion", w.distortion},
        {"task", w.task},
        {"token", w.token},
        {"rank", w.rank}}) {
    if (!std::isfinite(value) || value < 0.0) {
      return absl::InvalidArgumentError(
          absl::StrCat("task loss weight '", name,
                       "' must be finite and >= 0, got ", value));
    }
  }
  if (!std::isfinite(w.rank_ridge) || w.rank_ridge <= 0.0) {
    return absl::InvalidArgumentError(
        absl::StrCat("rank ridge must be > 0, got ", w.rank_ridge));
  }
  if (!(w.token_energy_power >= 0.0 && w.token_energy_power <= 4.0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "token energy power must be in [0, 4], got ", w.token_energy_power));
  }
  if (!(w.level_balance >= 0.0 && w.level_balance <= 2.0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("level balance must be in [0, 2], got ", w.level_balance));
  }
  return absl::OkStatus();
}

// Ltk is 1 - cosine rather than MSE: the backbone's channels and tokens differ
// in magnitude by orders, so MSE is dominated by a few high-energy tokens and
// its scale changes with the chosen layer (stride 16 vs 32); the cosine is
// bounded and scale free, and it is the number EncodeForTask's fidelity target
// and the reports use, so training optimises what rate control searches on.
// Magnitudes are not ignored: they are in Lrk's spectrum.
torch::Tensor TokenCosine(const torch::Tensor& reference,
                          const torch::Tensor& test) {
  CheckTokens(reference, test);
  return torch::cosine_similarity(reference, test, /*dim=*/-1, /*eps=*/1e-8)
      .mean(1);
}

torch::Tensor WeightedTokenCosine(const torch::Tensor& reference,
                                  const torch::Tensor& test, double power) {
  if (power == 0.0) return TokenCosine(reference, test);
  CheckTokens(reference, test);
  const torch::Tensor cosine =
      torch::cosine_similarity(reference, test, /*dim=*/-1, /*eps=*/1e-8);
  const torch::Tensor weight =
      reference.detach().norm(2, /*dim=*/-1).pow(power);
  return (weight * cosine).sum(1) / weight.sum(1).clamp_min(1e-12);
}

// Why the Gram eigenvalues: only eigenvalues (not eigenvectors) enter, and
// eigvalsh's backward is then V diag(g) V^T, with none of the 1 / (e_i - e_j)
// terms that make a full SVD's backward blow up at repeated values (the
// k - rank zero eigenvalues of a short token matrix are all repeated). The
// Gram squares the condition number, so it is formed and decomposed in
// float64: k <= C = 88 (stride 16) or 480 (stride 32), cheap either way.
torch::Tensor TokenSpectrum(const torch::Tensor& tokens) {
  TORCH_CHECK(tokens.dim() == 3, "tokens must be [B, n, C], got ",
              tokens.sizes());
  const torch::Tensor t = tokens.to(torch::kFloat64);
  const int64_t n = t.size(1);
  const torch::Tensor gram = n >= t.size(2)
                                 ? torch::matmul(t.transpose(1, 2), t) / n
                                 : torch::matmul(t, t.transpose(1, 2)) / n;
  // Ascending; tiny negative round-off clamped.
  return torch::linalg_eigvalsh(gram, "L").flip(-1).clamp_min(0.0);
}

// Why log-spectrum L1 with a relative floor: the token spectrum spans orders
// of magnitude, and compression first removes the weak directions (fine
// detail), which an energy-weighted distance (e.g. metrics'
// TokenSpectrumDistance, dominated by the top singular values) barely sees.
// The log compares each direction by its relative change; the floor δ keeps
// the gradient 1 / (e + δ) bounded; L1 rather than squared keeps one
// collapsed direction (|log| up to ~log(1 / ridge)) from swamping the rest.
// The weights w_i = e_i / (e_i + δ) restrict the mean to the directions T(x)
// occupies (its numerical rank): without them, energy that noise puts into
// T(x)'s empty directions outweighed a collapse to rank 1 on steep spectra,
// and spurious energy is Ltk's business, not the rank term's.
torch::Tensor TokenRankLoss(const torch::Tensor& reference,
                            const torch::Tensor& test, double ridge) {
  CheckTokens(reference, test);
  TORCH_CHECK(ridge > 0.0, "rank ridge must be > 0");
  const torch::Tensor e = TokenSpectrum(reference.detach());
  const torch::Tensor e_test = TokenSpectrum(test);
  const torch::Tensor floor =
      (ridge * e.mean(-1, /*keepdim=*/true)).clamp_min(1e-30);
  const torch::Tensor w = e / (e + floor);
  const torch::Tensor diff =
      (torch::log(e_test + floor) - torch::log(e + floor)).abs();
  return ((w * diff).sum(-1) / w.sum(-1).clamp_min(1e-12)).to(torch::kFloat32);
}

TaskTerms TaskObjective(const codec::TrainingOutput& out,
                        const torch::Tensor& x,
                        const std::vector<torch::Tensor>& reference_tokens,
                        const std::vector<torch::Tensor>& tokens,
                        const torch::Tensor& lambda, double lambda_min,
                        const TaskLossWeights& weights) {
  const torch::Tensor balance =
      LevelBalanceWeights(lambda, lambda_min, weights.level_balance);
  // Reuses the rate and MSE of the rate-distortion loss (its own loss unused).
  const RdTerms rd = RateDistortion(out, x, lambda, balance);
  TaskTerms terms;
  terms.bpp = rd.bpp;
  terms.mse = rd.mse;
  TORCH_CHECK(!tokens.empty() && tokens.size() == reference_tokens.size(),
              "task objective: ", tokens.size(), " token maps for ",
              reference_tokens.size(), " reference maps");
  const double maps = static_cast<double>(tokens.size());
  terms.cosine = torch::zeros_like(rd.bpp);
  terms.token = torch::zeros_like(rd.bpp);
  terms.rank = torch::zeros_like(rd.bpp);
  for (size_t i = 0; i < tokens.size(); ++i) {
    terms.cosine += TokenCosine(reference_tokens[i], tokens[i]).detach() / maps;
    terms.token += (1.0 - WeightedTokenCosine(reference_tokens[i], tokens[i],
                                              weights.token_energy_power)) /
                   maps;
    terms.rank +=
        TokenRankLoss(reference_tokens[i], tokens[i], weights.rank_ridge) /
        maps;
  }
  const torch::Tensor distortion =
      weights.distortion * (255.0 * 255.0) * terms.mse +
      weights.task * (weights.token * terms.token + weights.rank * terms.rank);
  terms.loss =
      (balance * (weights.rate * terms.bpp + lambda * distortion)).mean();
  return terms;
}

}  // namespace vlmc::train
