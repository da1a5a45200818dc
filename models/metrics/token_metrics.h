#ifndef VLMC_MODELS_METRICS_TOKEN_METRICS_H_
#define VLMC_MODELS_METRICS_TOKEN_METRICS_H_

#include <torch/torch.h>

namespace vlmc::metrics {

// Fidelity of the semantic tokens of a compressed image, T(x^), to those of
// the original, T(x). Both take token tensors [B, n, C] (batch, tokens,
// channels) of equal shape and return a differentiable 0-dim float tensor,
// so they serve as training losses as well as evaluation numbers.

// Mean over the B * n token pairs of cos(T(x)_bi, T(x^)_bi). 1 for identical
// (or positively scaled) tokens, 0 for orthogonal ones. Token norms are
// clamped at 1e-8 as torch::cosine_similarity does, so a zero token scores 0.
torch::Tensor MeanTokenCosine(const torch::Tensor& reference,
                              const torch::Tensor& test);

// Spectrum distance: for each batch element, with s = the singular values of
// the n x C token matrix T(x) (descending) and s^ those of T(x^),
//   d = ||s^ - s||_2 / ||s||_2,
// averaged over the batch. Why this form: ||s||_2 is the Frobenius norm of
// the token matrix, so d is a relative error; by Mirsky's inequality
// d <= ||T(x^) - T(x)||_F / ||T(x)||_F, i.e. it is bounded by the relative
// token error, yet it ignores any rotation of the tokens and measures only
// how the energy spreads over directions. It is deliberately not scale
// invariant (the cosine already is): compression that flattens or shrinks
// activations, e.g. loses the weak directions carried by fine detail, shows
// up here even when every token keeps its direction. 0 for equal spectra;
// 1 when T(x^) = 2 T(x) or T(x^) = 0. A reference whose tokens are all zero
// gives d = ||s^||_2 / 1e-8 (norm clamped), i.e. huge unless T(x^) is zero
// too.
torch::Tensor TokenSpectrumDistance(const torch::Tensor& reference,
                                    const torch::Tensor& test);

}  // namespace vlmc::metrics

#endif  // VLMC_MODELS_METRICS_TOKEN_METRICS_H_
