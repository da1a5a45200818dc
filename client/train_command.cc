// `vlmc train`: training of the variable-rate codec, for rate-distortion
// (--objective rd) or for the semantic tokens (--objective task).
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "client/command_util.h"
#include "client/commands.h"
#include "models/codec/pre_editor.h"
#include "models/semantic/token_model.h"
#include "models/train/rd_trainer.h"
#include "models/train/task_trainer.h"

namespace vlmc::cli {
namespace {

absl::StatusOr<std::vector<std::string>> ReadNameList(const std::string& path) {
  std::vector<std::string> names;
  if (path.empty()) return names;
  std::ifstream in(path);
  if (!in) return absl::NotFoundError("cannot open list " + path);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] != '#') names.push_back(line);
  }
  return names;
}

std::string SemanticModelDirDefault() {
  const char* dir = std::getenv("VLMC_SEMANTIC_MODEL_DIR");
  return dir != nullptr ? dir : "";
}

}  // namespace

int RunTrain(const std::vector<std::string>& args) {
  const std::string kCmd = "train";
  if (HasServerFlag(args)) {
    return UsageError(
        kCmd, absl::InvalidArgumentError(
                  "--server is not supported: training runs on this machine"));
  }
  train::TrainOptions defaults;
  train::TaskTrainOptions task_defaults;
  const train::TaskLossWeights& w = task_defaults.weights;
  Flags flags;
  int exit_code = 0;
  if (!ParseOrExit(
          kCmd, "train --out DIR [flags]", args,
          {{"out", "",
            "directory for checkpoint.safetensors and optimizer.pt (required)"},
           {"data",
            "../shared/data/train,../shared/data/photos,../shared/data/coco/"
            "images",
            "comma-separated image directories (never the evaluation set)"},
           {"exclude", "models/train/coco_eval_holdout.txt",
            "file of image names to leave out (held out for evaluation)"},
           {"objective", "rd",
            "training objective: rd (rate + MSE) or task (rate + MSE + "
            "CenterNet token cosine and rank losses, with a pre-editor)"},
           {"steps", std::to_string(defaults.steps),
            "total optimisation steps"},
           {"batch", std::to_string(defaults.batch), "crops per batch"},
           {"crop", std::to_string(defaults.crop),
            "crop side in pixels (multiple of 64)"},
           {"lr", "5e-4",
            "Adam learning rate (x0.1 for the final 15% of steps)"},
           {"family", defaults.config.family,
            "network family: hp (4 stride-2 layers each way) or bls2017 "
            "(9x9 stride 4 + two 5x5 stride 2, simplified GDN; start it from "
            "`vlmc import-bls2017` with --channels-n 128 --channels-m 128)"},
           {"z-density", "shared",
            "density of the hyper-latent z: shared (one for all quality "
            "levels) or per-level (one per level; a warm start from a shared "
            "one copies it to every level)"},
           {"channels-n", std::to_string(defaults.config.channels_n),
            "transform width N"},
           {"channels-m", std::to_string(defaults.config.channels_m),
            "latent channels M"},
           {"lambdas", defaults.config.ToMetadata().at("level_lambdas"),
            "rate-distortion lambdas of the quality levels (comma-separated, "
            "increasing; q=0 is the first, q=1 the last)"},
           {"level-balance", "0.5",
            "per-crop loss weight (lambda_min/lambda)^P, P in [0, 2]; 0 lets "
            "the high-rate levels dominate training"},
           {"train-only", "",
            "comma-separated parameter-name prefixes to optimise, the rest "
            "frozen (e.g. g_s.,gains.log_inverse_gain for a decoder-only "
            "fine-tune that cannot change the rate); empty: all"},
           {"shared-lr-scale", "1",
            "learning-rate factor in [0, 1] for the shared transforms and "
            "entropy models; the gain units and the pre-editor keep --lr. "
            "Below 1 it slows the drift of the low levels' rate that one "
            "level's loss causes through the shared transforms"},
           {"monitor-images", std::to_string(defaults.monitor_images),
            "per-level monitor: number of training images whose centre crops "
            "are measured at each --monitor-qualities at the start and at "
            "every checkpoint (printed, and appended to OUT/monitor.tsv); 0: "
            "off"},
           {"monitor-crop", std::to_string(defaults.monitor_crop),
            "per-level monitor: crop side in pixels (multiple of 64; the "
            "training crop when fewer than --monitor-images images are that "
            "large)"},
           {"monitor-qualities", "0,0.5,1",
            "per-level monitor: comma-separated qualities in [0, 1]"},
           {"validation-list", "",
            "file of full-size validation image paths (one per line, # "
            "comments; e.g. models/train/rd_validation_train2.txt): coded at "
            "the start and at every checkpoint, scores in OUT/validation.tsv, "
            "the best checkpoint kept as OUT/best.safetensors; these images "
            "are never trained on. Empty: no validation"},
           {"validation-qualities", "0,0.5,1",
            "validation: comma-separated qualities in [0, 1]"},
           {"model-id", defaults.config.model_id,
            "model id written into streams"},
           {"init", "", "warm-start weights (safetensors) when not resuming"},
           {"no-resume", "", "start over even if --out holds a checkpoint",
            true},
           {"threads", "0", "CPU threads (0: LibTorch default)"},
           {"device", "auto", "cpu, cuda or auto"},
           {"seed", "1", "random seed"},
           {"log-every", std::to_string(defaults.log_every),
            "progress line interval (steps)"},
           {"checkpoint-every", std::to_string(defaults.checkpoint_every),
            "checkpoint interval (steps)"},
           {"pre-editor-widths", "8,16,32",
            "task: channels per level of the pre-editing U-Net (2 to 6 "
            "levels; must match --init/the checkpoint if they have one), or "
            "none: no pre-editor (the codec alone, for ablations)"},
           {"rate-weight", absl::StrCat(w.rate), "task: weight of the rate"},
           {"distortion-weight", absl::StrCat(w.distortion),
            "task: weight of 255^2 MSE (times lambda(q))"},
           {"task-weight", absl::StrCat(w.task),
            "task: weight of the token terms (times lambda(q)); 0 with "
            "--distortion-weight 1 is the rd loss"},
           {"token-weight", absl::StrCat(w.token),
            "task: weight of Ltk = 1 - token cosine inside the task term"},
           {"token-energy-power", absl::StrCat(w.token_energy_power),
            "task: Ltk weighs token i by ||T(x)_i||^P, P in [0, 4]; 0: all "
            "tokens alike (the reported cosine), above 0 flat regions' weak "
            "tokens count less"},
           {"rank-weight", absl::StrCat(w.rank),
            "task: weight of Lrk (log Gram-spectrum distance) inside the task "
            "term"},
           {"rank-ridge", absl::StrCat(w.rank_ridge),
            "task: Lrk spectrum floor relative to the mean eigenvalue"},
           {"token-strides", absl::StrJoin(task_defaults.token_strides, ","),
            "task: CenterNet feature maps of the token target, by stride, "
            "comma-separated from 8, 16, 32 (one backbone pass); with "
            "several, cosine, Ltk and Lrk are the means over the maps, so "
            "each weighs alike"},
           {"token-input-size", "0",
            "task: token-model input side in pixels (crops are resized); 0: "
            "the crop size"},
           {"semantic-model-dir", SemanticModelDirDefault(),
            "task: CenterNet model directory (empty: $VLMC_SEMANTIC_MODEL_DIR, "
            "else $VLMC_MODEL_CACHE or ~/.cache/vlmc/human-models-3.0.4)"}},
          &flags, &exit_code)) {
    return exit_code;
  }
  const std::string& objective = flags.Get("objective");
  if (objective != "rd" && objective != "task") {
    return UsageError(kCmd,
                      absl::InvalidArgumentError(
                          "--objective must be rd or task, got " + objective));
  }
  train::TrainOptions options;
  options.out_dir = flags.Get("out");
  options.data_dirs = absl::StrSplit(flags.Get("data"), ',', absl::SkipEmpty());
  absl::StatusOr<std::vector<std::string>> exclude =
      ReadNameList(flags.Get("exclude"));
  if (!exclude.ok()) return Fail(kCmd, exclude.status());
  options.exclude_names = *exclude;
  absl::StatusOr<std::vector<std::string>> validation =
      ReadNameList(flags.Get("validation-list"));
  if (!validation.ok()) return Fail(kCmd, validation.status());
  options.validation_images = *validation;
  // Validation images are never trained on, whichever folder holds them.
  for (const std::string& path : options.validation_images) {
    options.exclude_names.push_back(
        std::filesystem::path(path).filename().string());
  }
  options.init_weights = flags.Get("init");
  options.resume = !flags.GetBool("no-resume");
  options.device = flags.Get("device");
  options.trainable_prefixes =
      absl::StrSplit(flags.Get("train-only"), ',', absl::SkipEmpty());
  options.config.model_id = flags.Get("model-id");
  options.config.family = flags.Get("family");
  if (absl::Status status = codec::CheckFamily(options.config.family);
      !status.ok()) {
    return UsageError(kCmd, status);
  }
  const std::string z_density = flags.Get("z-density");
  if (z_density != "shared" && z_density != "per-level") {
    return UsageError(
        kCmd,
        absl::InvalidArgumentError(absl::StrCat(
            "--z-density must be shared or per-level, not '", z_density, "'")));
  }
  options.config.z_density_per_level = z_density == "per-level";
  struct IntFlag {
    const char* name;
    int64_t* target;
  };
  int64_t batch = 0, crop = 0, threads = 0, log_every = 0, checkpoint_every = 0,
          seed = 0, monitor_images = 0, monitor_crop = 0;
  for (IntFlag f :
       {IntFlag{"steps", &options.steps}, IntFlag{"batch", &batch},
        IntFlag{"crop", &crop},
        IntFlag{"channels-n", &options.config.channels_n},
        IntFlag{"channels-m", &options.config.channels_m},
        IntFlag{"threads", &threads}, IntFlag{"log-every", &log_every},
        IntFlag{"checkpoint-every", &checkpoint_every}, IntFlag{"seed", &seed},
        IntFlag{"monitor-images", &monitor_images},
        IntFlag{"monitor-crop", &monitor_crop}}) {
    absl::StatusOr<int64_t> value = flags.GetInt(f.name);
    if (!value.ok()) return UsageError(kCmd, value.status());
    *f.target = *value;
  }
  if (log_every < 1 || checkpoint_every < 1) {
    return UsageError(kCmd,
                      absl::InvalidArgumentError(
                          "--log-every and --checkpoint-every must be >= 1"));
  }
  options.batch = static_cast<int>(batch);
  options.crop = static_cast<int>(crop);
  options.threads = static_cast<int>(threads);
  options.log_every = static_cast<int>(log_every);
  options.checkpoint_every = static_cast<int>(checkpoint_every);
  options.seed = static_cast<uint64_t>(seed);
  if (monitor_images < 0 || monitor_images > 64 || monitor_crop < 0 ||
      monitor_crop > 65536) {
    return UsageError(kCmd, absl::InvalidArgumentError(
                                "--monitor-images must be in [0, 64] (one "
                                "batch) and --monitor-crop in [0, 65536]"));
  }
  options.monitor_images = static_cast<int>(monitor_images);
  options.monitor_crop = static_cast<int>(monitor_crop);
  for (const auto& [name, target] :
       {std::pair<const char*, std::vector<double>*>{
            "monitor-qualities", &options.monitor_qualities},
        {"validation-qualities", &options.validation_qualities}}) {
    target->clear();
    for (absl::string_view part :
         absl::StrSplit(flags.Get(name), ',', absl::SkipEmpty())) {
      double q = 0;
      if (!absl::SimpleAtod(part, &q) || !(q >= 0.0 && q <= 1.0)) {
        return UsageError(kCmd, absl::InvalidArgumentError(absl::StrCat(
                                    "--", name, ": '", part,
                                    "' is not a quality in [0, 1]")));
      }
      target->push_back(q);
    }
    if (target->empty()) {
      return UsageError(kCmd, absl::InvalidArgumentError(absl::StrCat(
                                  "--", name, " needs at least one quality")));
    }
  }
  absl::StatusOr<double> lr = flags.GetDouble("lr");
  if (!lr.ok()) return UsageError(kCmd, lr.status());
  options.learning_rate = *lr;
  absl::StatusOr<double> balance = flags.GetDouble("level-balance");
  if (!balance.ok()) return UsageError(kCmd, balance.status());
  options.level_balance = *balance;
  absl::StatusOr<double> shared_lr_scale = flags.GetDouble("shared-lr-scale");
  if (!shared_lr_scale.ok()) return UsageError(kCmd, shared_lr_scale.status());
  if (!(*shared_lr_scale >= 0.0 && *shared_lr_scale <= 1.0)) {
    return UsageError(kCmd, absl::InvalidArgumentError(
                                "--shared-lr-scale must be in [0, 1]"));
  }
  options.shared_lr_scale = *shared_lr_scale;
  absl::StatusOr<std::vector<double>> lambdas =
      codec::ParseLevelLambdas(flags.Get("lambdas"));
  if (!lambdas.ok()) return UsageError(kCmd, lambdas.status());
  options.config.level_lambdas = *std::move(lambdas);
  if (objective == "rd") {
    absl::Status status = train::RunRdTraining(options);
    if (!status.ok()) return Fail(kCmd, status);
    return 0;
  }

  train::TaskTrainOptions task;
  // "none": no pre-editor, for the ablation arms that train the codec alone.
  const std::string widths = flags.Get("pre-editor-widths");
  if (widths != "none") {
    absl::StatusOr<codec::PreEditorConfig> pre_editor =
        codec::ParsePreEditorWidths(widths);
    if (!pre_editor.ok()) return UsageError(kCmd, pre_editor.status());
    options.config.pre_editor_widths = pre_editor->widths;
  }
  task.train = options;
  for (const auto& [name, target] :
       {std::pair<const char*, double*>{"rate-weight", &task.weights.rate},
        {"distortion-weight", &task.weights.distortion},
        {"task-weight", &task.weights.task},
        {"token-weight", &task.weights.token},
        {"rank-weight", &task.weights.rank},
        {"rank-ridge", &task.weights.rank_ridge},
        {"token-energy-power", &task.weights.token_energy_power}}) {
    absl::StatusOr<double> value = flags.GetDouble(name);
    if (!value.ok()) return UsageError(kCmd, value.status());
    *target = *value;
  }
  task.token_strides.clear();
  for (absl::string_view part :
       absl::StrSplit(flags.Get("token-strides"), ',', absl::SkipEmpty())) {
    int stride = 0;
    if (!absl::SimpleAtoi(part, &stride)) {
      return UsageError(
          kCmd, absl::InvalidArgumentError(absl::StrCat(
                    "--token-strides: '", part, "' is not a whole number")));
    }
    task.token_strides.push_back(stride);
  }
  // Checked here, not only when the trainer loads the token model, so that a
  // bad list is a usage error before the data are read.
  if (absl::Status valid = semantic::ValidateTokenStrides(task.token_strides);
      !valid.ok()) {
    return UsageError(kCmd, absl::InvalidArgumentError(absl::StrCat(
                                "--token-strides: ", valid.message())));
  }
  absl::StatusOr<int64_t> token_input_size = flags.GetInt("token-input-size");
  if (!token_input_size.ok()) {
    return UsageError(kCmd, token_input_size.status());
  }
  if (*token_input_size < 0 || *token_input_size > 65536) {
    return UsageError(kCmd, absl::InvalidArgumentError(
                                "--token-input-size must be in [0, 65536]"));
  }
  task.token_input_size = static_cast<int>(*token_input_size);
  task.semantic_model_dir = flags.Get("semantic-model-dir");
  absl::Status status = train::RunTaskTraining(task);
  if (!status.ok()) return Fail(kCmd, status);
  return 0;
}

}  // namespace vlmc::cli
