#ifndef VLMC_MODELS_TRAIN_RD_TRAINER_H_
#define VLMC_MODELS_TRAIN_RD_TRAINER_H_

#include "absl/status/status.h"
#include "models/train/training_loop.h"

namespace vlmc::train {

// Trains the variable-rate hyperprior for rate-distortion (MSE). Every batch
// item draws its own quality q ~ U[0, 1]; lambda follows q along the config's
// ladder, so one model learns the whole rate range (see RunTraining).
absl::Status RunRdTraining(const TrainOptions& options);

}  // namespace vlmc::train

#endif  // VLMC_MODELS_TRAIN_RD_TRAINER_H_
