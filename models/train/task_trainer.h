#ifndef VLMC_MODELS_TRAIN_TASK_TRAINER_H_
#define VLMC_MODELS_TRAIN_TASK_TRAINER_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "models/train/task_loss.h"
#include "models/train/training_loop.h"

namespace vlmc::train {

struct TaskTrainOptions {
  // train.config.pre_editor_widths: the pre-editor (empty: none).
  // train.level_balance replaces weights.level_balance.
  TrainOptions train;
  TaskLossWeights weights;
  // The token target's feature maps (TokenModelOptions::strides); the loss
  // averages over them (TaskObjective).
  std::vector<int> token_strides = {16};
  int token_input_size = 0;        // token-model input side; 0: the crop size
  std::string semantic_model_dir;  // empty: DefaultSemanticModelDir()
};

// Trains the codec (and its pre-editor) for TaskObjective: T(x) of the frozen
// CenterNet token model is computed without autograd, T(x^) with it, so the
// token and rank losses reach the codec and the pre-editor through x^. The
// progress line adds the token cosine ("cos") and Lrk ("Lrk").
// FAILED_PRECONDITION when the token model is not installed.
absl::Status RunTaskTraining(const TaskTrainOptions& options);

}  // namespace vlmc::train

#endif  // VLMC_MODELS_TRAIN_TASK_TRAINER_H_
