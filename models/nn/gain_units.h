#ifndef VLMC_MODELS_NN_GAIN_UNITS_H_
#define VLMC_MODELS_NN_GAIN_UNITS_H_

#include <torch/torch.h>

#include <vector>

namespace vlmc::nn {

// Interpolates rows of `log_table` ([L, C]) linearly at position q * (L - 1)
// for each quality q in `quality` ([B], clamped to [0, 1]); returns [B, C].
// Shared by the gain units and the training loss's lambda ladder so both
// follow the same quality-to-level mapping.
torch::Tensor InterpolateLadder(const torch::Tensor& log_table,
                                const torch::Tensor& quality);

// Re-seats the rows of `log_table` ([L, C], one per lambda of `from_lambdas`)
// at the lambdas `to_lambdas` (any count, increasing), linearly in
// log(lambda); lambdas beyond the ends extend the end segments. Lets a model
// warm-start on another ladder with each level's gains where the old ladder
// put them for that lambda.
torch::Tensor ResampleLadder(const torch::Tensor& log_table,
                             const std::vector<double>& from_lambdas,
                             const std::vector<double>& to_lambdas);

// The adaptive layer for variable rate (gain units, Cui et al. 2021): L
// learned per-channel gain vectors scale the latent before quantisation and
// L inverse gains undo it before synthesis. A continuous quality q in [0, 1]
// sits at position q * (L - 1) on the ladder of levels; the gains between two
// neighbouring levels are interpolated geometrically (linearly in log space).
class GainUnitsImpl : public torch::nn::Module {
 public:
  // `level_lambdas` (increasing) seed the initial gains ~ sqrt(lambda), the
  // scaling that keeps quantisation error proportional to 1 / lambda.
  GainUnitsImpl(int64_t channels, const std::vector<double>& level_lambdas);

  // Gains for each quality in `quality` ([B]) as [B, C, 1, 1].
  torch::Tensor Gain(const torch::Tensor& quality);
  torch::Tensor InverseGain(const torch::Tensor& quality);

  int64_t levels() const { return levels_; }

 private:
  int64_t levels_;
  torch::Tensor log_gain_;          // [L, C]
  torch::Tensor log_inverse_gain_;  // [L, C]
};
TORCH_MODULE(GainUnits);

}  // namespace vlmc::nn

#endif  // VLMC_MODELS_NN_GAIN_UNITS_H_
