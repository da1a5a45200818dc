#include "models/train/task_trainer.h"

#include <cstdio>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "models/semantic/token_model.h"
#include "models/train/rd_loss.h"

namespace vlmc::train {
namespace {

// Token-model calls fail only on bad shapes, which the crop checks exclude.
std::vector<torch::Tensor> TokensOrThrow(const semantic::TokenModel& model,
                                         const torch::Tensor& images) {
  absl::StatusOr<std::vector<torch::Tensor>> tokens = model.TokenMaps(images);
  TORCH_CHECK(tokens.ok(), tokens.status().ToString());
  return *std::move(tokens);
}

}  // namespace

absl::Status RunTaskTraining(const TaskTrainOptions& options) {
  TaskLossWeights weights = options.weights;
  weights.level_balance = options.train.level_balance;
  if (absl::Status valid = ValidateTaskLossWeights(weights); !valid.ok())
    return valid;
  if (options.token_input_size < 0) {
    return absl::InvalidArgumentError("--token-input-size must be >= 0");
  }
  const codec::CodecConfig& config = options.train.config;
  std::shared_ptr<semantic::TokenModel> tokens;
  return RunTraining(
      options.train,
      [&](const torch::Device& device) -> absl::StatusOr<Objective> {
        semantic::TokenModelOptions token_options;
        token_options.strides = options.token_strides;
        token_options.model_dir = options.semantic_model_dir;
        token_options.input_size = options.token_input_size > 0
                                       ? options.token_input_size
                                       : options.train.crop;
        token_options.device = device;
        absl::StatusOr<std::unique_ptr<semantic::TokenModel>> model =
            semantic::TokenModel::Load(token_options);
        if (!model.ok()) {
          return absl::FailedPreconditionError(
              absl::StrCat("--objective task needs the CenterNet token model: ",
                           model.status().message()));
        }
        tokens = *std::move(model);
        std::fprintf(
            stderr,
            "train: task objective, tokens %s (strides %s, input %d), "
            "pre-editor %s, weights rate %g distortion %g task %g token %g "
            "rank %g ridge %g, token energy power %g\n",
            absl::StrJoin(tokens->node_names(), ", ").c_str(),
            absl::StrJoin(tokens->strides(), ",").c_str(),
            token_options.input_size,
            config.pre_editor_widths.empty()
                ? "none"
                : absl::StrJoin(config.pre_editor_widths, ",").c_str(),
            weights.rate, weights.distortion, weights.task, weights.token,
            weights.rank, weights.rank_ridge, weights.token_energy_power);
        return [&config, weights, tokens](codec::HyperpriorNetwork& network,
                                          const torch::Tensor& x,
                                          const torch::Tensor& quality) {
          const codec::TrainingOutput out = network->forward(x, quality);
          std::vector<torch::Tensor> reference;
          {
            torch::NoGradGuard no_grad;
            reference = TokensOrThrow(*tokens, x);
          }
          const TaskTerms terms = TaskObjective(
              out, x, reference, TokensOrThrow(*tokens, out.x_hat),
              LambdaForQuality(config, quality), config.level_lambdas.front(),
              weights);
          return ObjectiveTerms{
              terms.loss,
              terms.bpp,
              terms.mse,
              {{"cos", terms.cosine}, {"Lrk", terms.rank.detach()}}};
        };
      });
}

}  // namespace vlmc::train
