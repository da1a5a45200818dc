#include "models/train/rd_trainer.h"

#include "models/train/rd_loss.h"

namespace vlmc::train {

absl::Status RunRdTraining(const TrainOptions& options) {
  const codec::CodecConfig& config = options.config;
  const double level_balance = options.level_balance;
  return RunTraining(
      options, [&](const torch::Device&) -> absl::StatusOr<Objective> {
        return [&config, level_balance](codec::HyperpriorNetwork& network,
                                        const torch::Tensor& x,
                                        const torch::Tensor& quality) {
          codec::TrainingOutput out = network->forward(x, quality);
          torch::Tensor lambda = LambdaForQuality(config, quality);
          RdTerms terms = RateDistortion(
              out, x, lambda,
              LevelBalanceWeights(lambda, config.level_lambdas.front(),
                                  level_balance));
          return ObjectiveTerms{terms.loss, terms.bpp, terms.mse, {}};
        };
      });
}

}  // namespace vlmc::train
