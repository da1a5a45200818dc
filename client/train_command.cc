// `vlmc train`: rate-distortion training of the variable-rate codec.
#include <fstream>

#include "absl/strings/str_split.h"
#include "client/command_util.h"
#include "client/commands.h"
#include "models/train/rd_trainer.h"

namespace vlmc::cli {
namespace {

absl::StatusOr<std::vector<std::string>> ReadNameList(const std::string& path) {
  std::vector<std::string> names;
  if (path.empty()) return names;
  std::ifstream in(path);
  if (!in) return absl::NotFoundError("cannot open --exclude list " + path);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] != '#') names.push_back(line);
  }
  return names;
}

}  // namespace

int RunTrain(const std::vector<std::string>& args) {
  const std::string kCmd = "train";
  if (HasServerFlag(args)) {
    return UsageError(
        kCmd, absl::InvalidArgumentError(
                  "--server is not supported: training runs on this machine"));
  }
  train::RdTrainOptions defaults;
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
           {"objective", "rd", "training objective: rd (rate + MSE)"},
           {"steps", std::to_string(defaults.steps),
            "total optimisation steps"},
           {"batch", std::to_string(defaults.batch), "crops per batch"},
           {"crop", std::to_string(defaults.crop),
            "crop side in pixels (multiple of 64)"},
           {"lr", "5e-4",
            "Adam learning rate (x0.1 for the final 15% of steps)"},
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
            "checkpoint interval (steps)"}},
          &flags, &exit_code)) {
    return exit_code;
  }
  if (flags.Get("objective") != "rd") {
    return UsageError(kCmd, absl::InvalidArgumentError(
                                "--objective " + flags.Get("objective") +
                                " is not available yet (only rd)"));
  }
  train::RdTrainOptions options;
  options.out_dir = flags.Get("out");
  options.data_dirs = absl::StrSplit(flags.Get("data"), ',', absl::SkipEmpty());
  absl::StatusOr<std::vector<std::string>> exclude =
      ReadNameList(flags.Get("exclude"));
  if (!exclude.ok()) return Fail(kCmd, exclude.status());
  options.exclude_names = *exclude;
  options.init_weights = flags.Get("init");
  options.resume = !flags.GetBool("no-resume");
  options.device = flags.Get("device");
  options.config.model_id = flags.Get("model-id");
  struct IntFlag {
    const char* name;
    int64_t* target;
  };
  int64_t batch = 0, crop = 0, threads = 0, log_every = 0, checkpoint_every = 0,
          seed = 0;
  for (IntFlag f :
       {IntFlag{"steps", &options.steps}, IntFlag{"batch", &batch},
        IntFlag{"crop", &crop},
        IntFlag{"channels-n", &options.config.channels_n},
        IntFlag{"channels-m", &options.config.channels_m},
        IntFlag{"threads", &threads}, IntFlag{"log-every", &log_every},
        IntFlag{"checkpoint-every", &checkpoint_every},
        IntFlag{"seed", &seed}}) {
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
  absl::StatusOr<double> lr = flags.GetDouble("lr");
  if (!lr.ok()) return UsageError(kCmd, lr.status());
  options.learning_rate = *lr;
  absl::StatusOr<double> balance = flags.GetDouble("level-balance");
  if (!balance.ok()) return UsageError(kCmd, balance.status());
  options.level_balance = *balance;
  absl::StatusOr<std::vector<double>> lambdas =
      codec::ParseLevelLambdas(flags.Get("lambdas"));
  if (!lambdas.ok()) return UsageError(kCmd, lambdas.status());
  options.config.level_lambdas = *std::move(lambdas);
  absl::Status status = train::RunRdTraining(options);
  if (!status.ok()) return Fail(kCmd, status);
  return 0;
}

}  // namespace vlmc::cli
