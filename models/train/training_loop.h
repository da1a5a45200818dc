#ifndef VLMC_MODELS_TRAIN_TRAINING_LOOP_H_
#define VLMC_MODELS_TRAIN_TRAINING_LOOP_H_

#include <torch/torch.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "models/codec/codec_config.h"
#include "models/codec/hyperprior_network.h"

namespace vlmc::train {

struct TrainOptions {
  // config.pre_editor_widths set: the codec gets a pre-editor; a warm start
  // (init) from a model without one adds it as the identity.
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
  // Parameter-name prefixes to optimise (e.g. "g_s.",
  // "gains.log_inverse_gain"); the others stay frozen. Empty: all parameters.
  std::vector<std::string> trainable_prefixes;
  // Learning-rate factor of the shared transforms and entropy models: every
  // parameter outside kAdaptivePrefixes learns at
  // learning_rate * shared_lr_scale (0: frozen, no gradient). Below 1 it
  // keeps what one quality level asks of the shared transforms from moving
  // the other levels' rates.
  double shared_lr_scale = 1.0;
  // Per-level monitor: at the start (not when resuming) and at every
  // checkpoint, the objective's terms at each of monitor_qualities on the
  // centre crops (monitor_crop pixels, else the training crop when fewer than
  // monitor_images images are that large) of monitor_images training images,
  // printed and appended to out_dir/monitor.tsv (started afresh by a run that
  // does not resume). 0 images: off.
  int monitor_images = 4;
  int monitor_crop = 256;
  std::vector<double> monitor_qualities = {0.0, 0.5, 1.0};
  // Validation: at the start of a new run and at every checkpoint the
  // network codes these full-size images (never trained on: add them to
  // exclude_names) at validation_qualities (ValidationResult::score); the
  // scores go to out_dir/validation.tsv, and weights that beat every earlier
  // score of the run (a resumed run: the score stored in best.safetensors)
  // are also written as out_dir/best.safetensors. Empty: off.
  std::vector<std::string> validation_images;
  std::vector<double> validation_qualities = {0.0, 0.5, 1.0};
  int log_every = 50;
  int checkpoint_every = 500;
  int threads = 0;  // 0: LibTorch's default
  uint64_t seed = 1;
  std::string device = "auto";  // "cpu", "cuda" or "auto"
};

// Parameter-name prefixes that always learn at the full learning rate: the
// adaptive layer (gain units, one row per quality level) and the pre-editor
// (in front of the codec, with per-level edit strengths); see
// shared_lr_scale.
inline constexpr const char* kAdaptivePrefixes[] = {"gains.", "pre_editor."};

// One batch's terms as an objective computes them.
struct ObjectiveTerms {
  torch::Tensor loss;  // scalar, minimised
  torch::Tensor bpp;   // [B]
  torch::Tensor mse;   // [B], decoded crops against the original ones
  // Further per-crop values [B] whose window means the progress line shows
  // after the PSNR, as "name value".
  std::vector<std::pair<std::string, torch::Tensor>> extra;
};

// Computes the terms of batch `x` [B, 3, crop, crop] with per-crop `quality`
// [B] through `network` (in training mode, on the training device).
using Objective = std::function<ObjectiveTerms(codec::HyperpriorNetwork&,
                                               const torch::Tensor& x,
                                               const torch::Tensor& quality)>;
// Builds the objective once the options are checked and the device chosen.
using ObjectiveFactory =
    std::function<absl::StatusOr<Objective>(const torch::Device&)>;

// "cpu", "cuda" or "auto" (CUDA when available).
absl::StatusOr<torch::Device> PickDevice(const std::string& name);

// The training loop shared by the objectives: random crops, per-crop
// quality q ~ U[0, 1], Adam with gradient clipping and a final low learning
// rate, a progress line every log_every steps and a checkpoint every
// checkpoint_every steps. Warm-starting (init or resume) takes the weights
// only: the options' config (ladder) replaces the stored one.
absl::Status RunTraining(const TrainOptions& options,
                         const ObjectiveFactory& make_objective);

}  // namespace vlmc::train

#endif  // VLMC_MODELS_TRAIN_TRAINING_LOOP_H_
