#ifndef VLMC_MODELS_TRAIN_RD_TRAINER_H_
#define VLMC_MODELS_TRAIN_RD_TRAINER_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "models/codec/codec_config.h"

namespace vlmc::train {

struct RdTrainOptions {
  codec::CodecConfig config;
  std::vector<std::string> data_dirs;
  std::vector<std::string> exclude_names;  // image file names never trained on
  std::string out_dir;       // checkpoint.safetensors + optimizer.pt
  std::string init_weights;  // optional warm start (weights only)
  bool resume = true;        // continue from out_dir's checkpoint if present
  int64_t steps = 10000;     // total steps (a resumed run stops here too)
  int batch = 8;
  int crop = 128;
  double learning_rate = 5e-4;
  double final_lr_fraction = 0.15;  // last 15% of steps at learning_rate / 10
  double clip_norm = 1.0;
  double level_balance = 0.5;  // see LevelBalanceWeights (0: unweighted)
  int log_every = 50;
  int checkpoint_every = 500;
  int threads = 0;  // 0: LibTorch's default
  uint64_t seed = 1;
  std::string device = "auto";  // "cpu", "cuda" or "auto"
};

// Trains the variable-rate hyperprior for rate-distortion (MSE). Every batch
// item draws its own quality q ~ U[0, 1]; lambda follows q along the config's
// ladder, so one model learns the whole rate range. Warm-starting (init or
// resume) takes the weights only: the config's ladder replaces the stored one.
// Prints a progress line every log_every steps and checkpoints every
// checkpoint_every steps.
absl::Status RunRdTraining(const RdTrainOptions& options);

}  // namespace vlmc::train

#endif  // VLMC_MODELS_TRAIN_RD_TRAINER_H_
