#ifndef VLMC_MODELS_NN_GDN_H_
#define VLMC_MODELS_NN_GDN_H_

#include <torch/torch.h>

namespace vlmc::nn {

// Generalized divisive normalization (Balle et al. 2016):
//   y_i = x_i / sqrt(beta_i + sum_j gamma_ij x_j^2)   (GDN)
//   y_i = x_i * sqrt(beta_i + sum_j gamma_ij x_j^2)   (inverse GDN)
// beta and gamma are stored as square roots so they stay non-negative
// without clipping the gradient.
class GdnImpl : public torch::nn::Module {
 public:
  GdnImpl(int64_t channels, bool inverse);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  bool inverse_;
  torch::Tensor beta_root_;   // [C]
  torch::Tensor gamma_root_;  // [C, C, 1, 1]
};
TORCH_MODULE(Gdn);

}  // namespace vlmc::nn

#endif  // VLMC_MODELS_NN_GDN_H_
