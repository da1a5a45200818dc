#ifndef VLMC_MODELS_NN_FACTORIZED_DENSITY_H_
#define VLMC_MODELS_NN_FACTORIZED_DENSITY_H_

#include <torch/torch.h>

#include <vector>

namespace vlmc::nn {

// Non-parametric, per-channel density for the hyper-latent z (Balle et al.
// 2018, appendix 6.1): a small monotone network per channel models the
// cumulative distribution; the likelihood of a quantisation bin is the
// difference of the CDF at its edges.
class FactorizedDensityImpl : public torch::nn::Module {
 public:
  explicit FactorizedDensityImpl(int64_t channels,
                                 std::vector<int64_t> hidden = {3, 3, 3},
                                 double init_scale = 10.0);

  // Likelihood of the unit-width bins centred on `z` ([B, C, H, W]).
  torch::Tensor Likelihood(const torch::Tensor& z);

  // Probability mass of each integer in [lo, hi] per channel: [C, hi-lo+1].
  torch::Tensor IntegerPmf(int64_t lo, int64_t hi);

  int64_t channels() const { return channels_; }

 private:
  // Cumulative logits for inputs shaped [C, 1, K].
  torch::Tensor CumulativeLogits(const torch::Tensor& x);

  int64_t channels_;
  std::vector<torch::Tensor> matrices_, biases_, factors_;
};
TORCH_MODULE(FactorizedDensity);

}  // namespace vlmc::nn

#endif  // VLMC_MODELS_NN_FACTORIZED_DENSITY_H_
