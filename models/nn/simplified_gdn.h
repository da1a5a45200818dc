#ifndef VLMC_MODELS_NN_SIMPLIFIED_GDN_H_
#define VLMC_MODELS_NN_SIMPLIFIED_GDN_H_

#include <torch/torch.h>

namespace vlmc::nn {

// The simplified GDN of tensorflow-compression 2.x (Johnston et al. 2019),
// the form the bls2017 transforms were trained with:
//   y_i = x_i / (beta_i + sum_j gamma_ij |x_j|)   (GDN)
//   y_i = x_i * (beta_i + sum_j gamma_ij |x_j|)   (inverse GDN)
// beta and gamma are stored as they act (gamma as a [C, C, 1, 1] 1x1
// convolution, output channel first). The forward pass bounds them below
// (beta >= 1e-6, gamma >= 0) with a straight-through gradient, so a
// parameter pushed past the bound can come back.
class SimplifiedGdnImpl : public torch::nn::Module {
 public:
  SimplifiedGdnImpl(int64_t channels, bool inverse);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  bool inverse_;
  torch::Tensor beta_;   // [C]
  torch::Tensor gamma_;  // [C, C, 1, 1]
};
TORCH_MODULE(SimplifiedGdn);

}  // namespace vlmc::nn

#endif  // VLMC_MODELS_NN_SIMPLIFIED_GDN_H_
