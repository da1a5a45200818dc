#include "models/train/training_loop.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <memory>
#include <random>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "models/codec/checkpoint.h"
#include "models/codec/safetensors.h"
#include "models/nn/cpu_threads.h"
#include "models/nn/gain_units.h"
#include "models/train/crop_dataset.h"
#include "models/train/level_monitor.h"
#include "models/train/validation.h"

namespace vlmc::train {
namespace {

using Clock = std::chrono::steady_clock;

// Checkpoint metadata naming the --train-only prefixes: the optimizer state
// holds one entry per optimised tensor, so a resume must select the same ones.
constexpr char kTrainOnlyKey[] = "train_only";

absl::Status SaveCheckpoint(const std::string& dir,
                            codec::HyperpriorNetwork& network,
                            const TrainOptions& options,
                            torch::optim::Adam& optimizer, int64_t step) {
  const codec::CodecConfig& config = options.config;
  codec::TensorFile file =
      codec::NetworkToTensorFile(network, config, torch::kFloat32);
  file.metadata["step"] = absl::StrCat(step);
  file.metadata[kTrainOnlyKey] = absl::StrJoin(options.trainable_prefixes, ",");
  absl::Status status =
      codec::WriteSafetensorsFile(dir + "/checkpoint.safetensors", file);
  if (!status.ok()) return status;
  try {
    torch::save(optimizer, dir + "/optimizer.pt.tmp");
  } catch (const c10::Error& e) {
    return absl::UnavailableError(
        absl::StrCat("cannot save optimizer state: ", e.what()));
  }
  std::error_code error;
  std::filesystem::rename(dir + "/optimizer.pt.tmp", dir + "/optimizer.pt",
                          error);
  if (error)
    return absl::UnavailableError("cannot rename optimizer state: " +
                                  error.message());
  return absl::OkStatus();
}

// Lambdas round-trip through the metadata with six significant digits.
bool SameLadder(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::abs(a[i] - b[i]) > 1e-5 * std::abs(b[i])) return false;
  }
  return true;
}

// For each lambda of `to`, the index of the lambda of `from` nearest to it in
// log lambda (int64, for index_select).
torch::Tensor NearestLevels(const std::vector<double>& from,
                            const std::vector<double>& to) {
  std::vector<int64_t> nearest;
  for (double lambda : to) {
    int64_t best = 0;
    for (int64_t l = 1; l < static_cast<int64_t>(from.size()); ++l) {
      if (std::abs(std::log(from[l] / lambda)) <
          std::abs(std::log(from[best] / lambda))) {
        best = l;
      }
    }
    nearest.push_back(best);
  }
  return torch::tensor(nearest, torch::kInt64);
}

// Loads the warm-start or resume weights; returns the step to continue from.
absl::StatusOr<int64_t> LoadWeights(const TrainOptions& options,
                                    const std::string& weights, bool resuming,
                                    codec::HyperpriorNetwork& network,
                                    torch::optim::Adam& optimizer) {
  const codec::CodecConfig& config = options.config;
  absl::StatusOr<codec::TensorFile> file = codec::ReadSafetensorsFile(weights);
  if (!file.ok()) return file.status();
  absl::StatusOr<codec::CodecConfig> stored =
      codec::CodecConfig::FromMetadata(file->metadata);
  if (!stored.ok()) return stored.status();
  if (stored->family != config.family ||
      stored->channels_n != config.channels_n ||
      stored->channels_m != config.channels_m) {
    return absl::FailedPreconditionError(absl::StrCat(
        weights, " has family ", stored->family, " N=", stored->channels_n,
        " M=", stored->channels_m, ", training asks for family ", config.family,
        " N=", config.channels_n, " M=", config.channels_m));
  }
  if (!SameLadder(stored->level_lambdas, config.level_lambdas)) {
    if (resuming) {
      return absl::FailedPreconditionError(absl::StrCat(
          weights, " was trained on the lambda ladder ",
          absl::StrJoin(stored->level_lambdas, ","), ", this run asks for ",
          absl::StrJoin(config.level_lambdas, ","),
          "; resume with the same --lambdas or use a new --out with --init"));
    }
    // A warm start on another ladder: each new level's gains start where
    // the old ladder put that lambda.
    for (const char* name : {"gains.log_gain", "gains.log_inverse_gain"}) {
      auto it = file->tensors.find(name);
      if (it == file->tensors.end())
        return absl::DataLossError(absl::StrCat(weights, " has no ", name));
      it->second =
          nn::ResampleLadder(it->second.to(torch::kFloat32),
                             stored->level_lambdas, config.level_lambdas)
              .to(it->second.scalar_type())
              .contiguous();
    }
    std::fprintf(stderr, "train: gains moved from the ladder %s to %s\n",
                 absl::StrJoin(stored->level_lambdas, ",").c_str(),
                 absl::StrJoin(config.level_lambdas, ",").c_str());
    // A z density per level: each new level starts from the density of the
    // old level nearest to it in log lambda.
    if (stored->z_density_per_level && config.z_density_per_level) {
      const torch::Tensor nearest =
          NearestLevels(stored->level_lambdas, config.level_lambdas);
      for (auto& [name, tensor] : file->tensors) {
        if (!absl::StartsWith(name, "z_density.")) continue;
        const int64_t old_levels =
            static_cast<int64_t>(stored->level_lambdas.size());
        if (tensor.size(0) % old_levels != 0) {
          return absl::DataLossError(absl::StrCat(weights, ": ", name, " has ",
                                                  tensor.size(0), " rows for ",
                                                  old_levels, " levels"));
        }
        const int64_t channels = tensor.size(0) / old_levels;
        std::vector<int64_t> per_level = tensor.sizes().vec();
        per_level[0] = channels;
        per_level.insert(per_level.begin(), old_levels);
        std::vector<int64_t> flat = tensor.sizes().vec();
        flat[0] = nearest.size(0) * channels;
        tensor = tensor.reshape(per_level)
                     .index_select(0, nearest)
                     .reshape(flat)
                     .contiguous();
      }
      std::fprintf(stderr,
                   "train: z densities re-seated at the nearest old level\n");
    }
  }
  if (stored->z_density_per_level != config.z_density_per_level) {
    if (resuming || stored->z_density_per_level) {
      return absl::FailedPreconditionError(absl::StrCat(
          weights,
          stored->z_density_per_level ? " has a z density per level"
                                      : " has one z density for all levels",
          ", this run asks for ",
          config.z_density_per_level ? "one per level" : "one for all",
          resuming ? "; resume with the same --z-density or use a new --out"
                   : ""));
    }
    // Every level starts from the shared density, so the warm start codes
    // exactly as before.
    const int64_t levels = static_cast<int64_t>(config.level_lambdas.size());
    for (auto& [name, tensor] : file->tensors) {
      if (absl::StartsWith(name, "z_density.")) {
        std::vector<int64_t> repeats(tensor.dim(), 1);
        repeats[0] = levels;
        tensor = tensor.repeat(repeats).contiguous();
      }
    }
    std::fprintf(stderr, "train: z density copied to each of %lld levels\n",
                 static_cast<long long>(levels));
  }
  // A pre-editor added to a model without one starts as the identity; a
  // resumed run must match its checkpoint exactly.
  const bool fresh_pre_editor = !resuming &&
                                !config.pre_editor_widths.empty() &&
                                stored->pre_editor_widths.empty();
  absl::Status status =
      codec::LoadNetworkWeights(*file, network, fresh_pre_editor);
  if (!status.ok()) return status;
  int64_t step = 0;
  if (resuming) {
    auto stored_prefixes = file->metadata.find(kTrainOnlyKey);
    const std::string asked = absl::StrJoin(options.trainable_prefixes, ",");
    const std::string had = stored_prefixes == file->metadata.end()
                                ? std::string()
                                : stored_prefixes->second;
    if (had != asked) {
      return absl::FailedPreconditionError(
          absl::StrCat(weights, " was trained with --train-only '", had,
                       "', this run asks for '", asked,
                       "'; resume with the same prefixes or use a new --out"));
    }
    if (std::filesystem::exists(options.out_dir + "/optimizer.pt")) {
      try {
        torch::load(optimizer, options.out_dir + "/optimizer.pt");
      } catch (const c10::Error& e) {
        // Most often its parameter groups differ: written by a trainer from
        // before the groups (8753b74) or with another --shared-lr-scale 0.
        return absl::FailedPreconditionError(absl::StrCat(
            "cannot resume from ", options.out_dir,
            "/optimizer.pt: its parameter groups do not match this run's "
            "(an older trainer, or --shared-lr-scale 0 on one side only); "
            "use a new --out with --init, or --no-resume. LibTorch said: ",
            e.msg()));
      }
    }
    auto it = file->metadata.find("step");
    if (it != file->metadata.end() && !absl::SimpleAtoi(it->second, &step))
      step = 0;
  }
  std::fprintf(stderr, "train: %s from %s at step %lld%s\n",
               resuming ? "resumed" : "initialised", weights.c_str(),
               static_cast<long long>(step),
               fresh_pre_editor ? " (new identity pre-editor)" : "");
  return step;
}

// The parameters whose names start with one of `prefixes` (all when empty);
// the others are frozen. Fails when a prefix matches nothing, which is almost
// always a typo.
absl::StatusOr<std::vector<torch::Tensor>> SelectTrainable(
    codec::HyperpriorNetwork& network,
    const std::vector<std::string>& prefixes) {
  if (prefixes.empty()) return network->parameters();
  std::vector<torch::Tensor> trainable;
  std::vector<bool> prefix_used(prefixes.size(), false);
  int64_t trainable_values = 0, total_values = 0;
  for (auto& item : network->named_parameters()) {
    bool selected = false;
    for (size_t i = 0; i < prefixes.size(); ++i) {
      if (absl::StartsWith(item.key(), prefixes[i])) {
        selected = true;
        prefix_used[i] = true;
      }
    }
    item.value().set_requires_grad(selected);
    total_values += item.value().numel();
    if (!selected) continue;
    trainable.push_back(item.value());
    trainable_values += item.value().numel();
  }
  for (size_t i = 0; i < prefixes.size(); ++i) {
    if (!prefix_used[i]) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--train-only prefix '", prefixes[i], "' matches no parameter"));
    }
  }
  std::fprintf(stderr, "train: optimising %lld of %lld parameter values\n",
               static_cast<long long>(trainable_values),
               static_cast<long long>(total_values));
  return trainable;
}

bool IsAdaptive(const std::string& name) {
  for (const char* prefix : kAdaptivePrefixes) {
    if (absl::StartsWith(name, prefix)) return true;
  }
  return false;
}

// Adam over the parameters that require a gradient, in up to two groups, the
// adaptive parameters first; `lr_scales` gets each group's factor on the
// learning rate.
std::unique_ptr<torch::optim::Adam> MakeOptimizer(
    codec::HyperpriorNetwork& network, const TrainOptions& options,
    std::vector<double>& lr_scales) {
  std::vector<torch::Tensor> adaptive, shared;
  for (const auto& item : network->named_parameters()) {
    if (!item.value().requires_grad()) continue;
    (IsAdaptive(item.key()) ? adaptive : shared).push_back(item.value());
  }
  std::vector<torch::optim::OptimizerParamGroup> groups;
  lr_scales.clear();
  for (auto [params, scale] : {std::pair{&adaptive, 1.0},
                               std::pair{&shared, options.shared_lr_scale}}) {
    if (params->empty()) continue;
    groups.emplace_back(*params, std::make_unique<torch::optim::AdamOptions>(
                                     options.learning_rate * scale));
    lr_scales.push_back(scale);
  }
  return std::make_unique<torch::optim::Adam>(
      groups, torch::optim::AdamOptions(options.learning_rate));
}

// Appends `text` to `path`, first writing `header` when the file is new.
absl::Status AppendToLog(const std::string& path, const std::string& header,
                         const std::string& text) {
  const bool fresh = !std::filesystem::exists(path);
  std::FILE* file = std::fopen(path.c_str(), "a");
  if (file == nullptr)
    return absl::UnavailableError(absl::StrCat("cannot append to ", path));
  const bool written =
      std::fputs(((fresh ? header : "") + text).c_str(), file) >= 0;
  if (std::fclose(file) != 0 || !written)
    return absl::UnavailableError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

// Runs the monitor (when on), prints it and appends it to monitor.tsv.
absl::Status MonitorAndLog(const Objective& objective,
                           codec::HyperpriorNetwork& network,
                           const torch::Tensor& images,
                           const TrainOptions& options, int64_t step) {
  if (!images.defined()) return absl::OkStatus();
  const std::vector<LevelReport> reports =
      MonitorLevels(objective, network, images, options.monitor_qualities);
  std::fputs(FormatLevelReports(step, reports).c_str(), stderr);
  return AppendToLog(options.out_dir + "/monitor.tsv",
                     LevelReportHeader(reports),
                     LevelReportRows(step, reports));
}

constexpr char kValidationScoreKey[] = "validation_score";

// Validation against the best score so far (see TrainOptions). Keeps the
// state of one run: the images and the best score.
class Validator {
 public:
  // Off (Run does nothing) without validation images.
  static absl::StatusOr<Validator> Create(const TrainOptions& options) {
    Validator validator;
    validator.options_ = &options;
    if (options.validation_images.empty()) return validator;
    absl::StatusOr<std::vector<ValidationImage>> images =
        LoadValidationImages(options.validation_images);
    if (!images.ok()) return images.status();
    validator.images_ = *std::move(images);
    const std::string best = options.out_dir + "/best.safetensors";
    if (std::filesystem::exists(best)) {
      absl::StatusOr<codec::TensorFile> file = codec::ReadSafetensorsFile(best);
      if (!file.ok()) return file.status();
      auto it = file->metadata.find(kValidationScoreKey);
      if (it == file->metadata.end() ||
          !absl::SimpleAtod(it->second, &validator.best_score_)) {
        return absl::FailedPreconditionError(absl::StrCat(
            best, " has no '", kValidationScoreKey, "'; move it away"));
      }
    }
    std::fprintf(stderr,
                 "train: validating on %zu full-size images at %zu qualities "
                 "(best so far %g)\n",
                 validator.images_.size(), options.validation_qualities.size(),
                 validator.best_score_);
    return validator;
  }

  // Validates, logs, and writes best.safetensors on a new best.
  absl::Status Run(codec::HyperpriorNetwork& network, int64_t step) {
    if (images_.empty()) return absl::OkStatus();
    const TrainOptions& options = *options_;
    const ValidationResult result =
        Validate(network, options.config, images_, options.validation_qualities,
                 options.level_balance);
    const bool improved = result.score < best_score_;
    std::string line = FormatValidation(step, result);
    line.insert(line.size() - 1, improved ? "  (new best)" : "");
    std::fputs(line.c_str(), stderr);
    absl::Status status = AppendToLog(options.out_dir + "/validation.tsv",
                                      ValidationTsvHeader(result),
                                      ValidationTsvRow(step, result));
    if (!status.ok() || !improved) return status;
    best_score_ = result.score;
    codec::TensorFile file =
        codec::NetworkToTensorFile(network, options.config, torch::kFloat32);
    file.metadata["step"] = absl::StrCat(step);
    // %.17g reads back as the same double: a resumed run compares exactly.
    file.metadata[kValidationScoreKey] = absl::StrFormat("%.17g", result.score);
    return codec::WriteSafetensorsFile(options.out_dir + "/best.safetensors",
                                       file);
  }

 private:
  const TrainOptions* options_ = nullptr;
  std::vector<ValidationImage> images_;
  double best_score_ = std::numeric_limits<double>::infinity();
};

}  // namespace

absl::StatusOr<torch::Device> PickDevice(const std::string& name) {
  if (name == "cpu") return torch::Device(torch::kCPU);
  if (name == "cuda") {
    if (!torch::cuda::is_available())
      return absl::FailedPreconditionError("CUDA is not available");
    return torch::Device(torch::kCUDA);
  }
  if (name == "auto") {
    return torch::cuda::is_available() ? torch::Device(torch::kCUDA)
                                       : torch::Device(torch::kCPU);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown device '", name, "' (cpu, cuda, auto)"));
}

absl::Status RunTraining(const TrainOptions& options,
                         const ObjectiveFactory& make_objective) {
  if (options.crop % 64 != 0 || options.crop < 64) {
    return absl::InvalidArgumentError(
        "--crop must be a positive multiple of 64");
  }
  if (options.batch < 1 || options.steps < 1) {
    return absl::InvalidArgumentError("--batch and --steps must be positive");
  }
  if (!(options.level_balance >= 0.0 && options.level_balance <= 2.0)) {
    return absl::InvalidArgumentError("--level-balance must be in [0, 2]");
  }
  if (!(options.shared_lr_scale >= 0.0 && options.shared_lr_scale <= 1.0)) {
    return absl::InvalidArgumentError("--shared-lr-scale must be in [0, 1]");
  }
  if (options.monitor_images < 0 ||
      (options.monitor_images > 0 &&
       (options.monitor_crop < 64 || options.monitor_crop % 64 != 0))) {
    return absl::InvalidArgumentError(
        "--monitor-images must be >= 0 and --monitor-crop a positive multiple "
        "of 64");
  }
  for (double q : options.monitor_qualities) {
    if (!(q >= 0.0 && q <= 1.0)) {
      return absl::InvalidArgumentError(
          "--monitor-qualities must be in [0, 1]");
    }
  }
  if (options.out_dir.empty())
    return absl::InvalidArgumentError("--out is required");
  absl::StatusOr<torch::Device> device = PickDevice(options.device);
  if (!device.ok()) return device.status();
  if (options.threads > 0) nn::SetCpuThreads(options.threads);
  absl::StatusOr<Objective> objective = make_objective(*device);
  if (!objective.ok()) return objective.status();
  std::error_code mkdir_error;
  std::filesystem::create_directories(options.out_dir, mkdir_error);
  if (mkdir_error) {
    return absl::UnavailableError(absl::StrCat(
        "cannot create ", options.out_dir, ": ", mkdir_error.message()));
  }

  absl::StatusOr<std::vector<std::string>> files =
      ListImages(options.data_dirs, options.exclude_names);
  if (!files.ok()) return files.status();
  absl::StatusOr<CropDataset> data = CropDataset::Load(*files, options.crop);
  if (!data.ok()) return data.status();
  std::fprintf(stderr,
               "train: %zu images (%zu listed), crop %d, batch %d, device %s, "
               "lambdas %s, level balance %.2f\n",
               data->size(), files->size(), options.crop, options.batch,
               device->str().c_str(),
               options.config.ToMetadata().at("level_lambdas").c_str(),
               options.level_balance);

  const codec::CodecConfig& config = options.config;
  torch::manual_seed(options.seed);
  codec::HyperpriorNetwork network(config);
  absl::StatusOr<std::vector<torch::Tensor>> trainable =
      SelectTrainable(network, options.trainable_prefixes);
  if (!trainable.ok()) return trainable.status();
  if (options.shared_lr_scale == 0.0) {
    // Scale 0 freezes the shared parameters outright, so they get no
    // gradient and take no part in the clipping norm.
    std::vector<torch::Tensor> adaptive;
    for (auto& item : network->named_parameters()) {
      if (!item.value().requires_grad()) continue;
      if (IsAdaptive(item.key())) {
        adaptive.push_back(item.value());
      } else {
        item.value().set_requires_grad(false);
      }
    }
    if (adaptive.empty()) {
      return absl::InvalidArgumentError(
          "--shared-lr-scale 0 leaves nothing to train: no selected parameter "
          "belongs to the gain units or the pre-editor");
    }
    *trainable = std::move(adaptive);
  }
  std::vector<double> lr_scales;
  std::unique_ptr<torch::optim::Adam> adam =
      MakeOptimizer(network, options, lr_scales);
  torch::optim::Adam& optimizer = *adam;
  int64_t step = 0;
  const std::string checkpoint = options.out_dir + "/checkpoint.safetensors";
  const bool resuming = options.resume && std::filesystem::exists(checkpoint);
  const std::string weights = resuming ? checkpoint : options.init_weights;
  if (!weights.empty()) {
    absl::StatusOr<int64_t> loaded =
        LoadWeights(options, weights, resuming, network, optimizer);
    if (!loaded.ok()) return loaded.status();
    step = *loaded;
  }
  network->to(*device);
  network->train();

  torch::Tensor monitor_images;
  if (options.monitor_images > 0 && !options.monitor_qualities.empty()) {
    const int64_t wanted =
        std::min<int64_t>(options.monitor_images, data->size());
    absl::StatusOr<torch::Tensor> crops =
        data->CenterCrops(options.monitor_images, options.monitor_crop);
    if (!crops.ok() || crops->size(0) < wanted)
      crops = data->CenterCrops(options.monitor_images, options.crop);
    if (!crops.ok()) return crops.status();
    monitor_images = crops->to(*device);
    std::fprintf(stderr, "train: monitoring %lld centre crops of %lld pixels\n",
                 static_cast<long long>(monitor_images.size(0)),
                 static_cast<long long>(monitor_images.size(2)));
  }
  // A new run starts a new monitor.tsv; a resumed one has already logged its
  // checkpoint's step.
  if (!resuming) {
    std::error_code ignored;
    std::filesystem::remove(options.out_dir + "/monitor.tsv", ignored);
  }
  if (!resuming || step == 0) {
    if (absl::Status status =
            MonitorAndLog(*objective, network, monitor_images, options, step);
        !status.ok()) {
      return status;
    }
  }
  // A new run validates its starting weights: the bar its checkpoints must
  // beat to become best.safetensors. A resumed run has logged its
  // checkpoint's step already and holds to the score in best.safetensors.
  if (!resuming) {
    std::error_code ignored;
    std::filesystem::remove(options.out_dir + "/validation.tsv", ignored);
    std::filesystem::remove(options.out_dir + "/best.safetensors", ignored);
  }
  absl::StatusOr<Validator> validator = Validator::Create(options);
  if (!validator.ok()) return validator.status();
  if (!resuming) {
    if (absl::Status status = validator->Run(network, step); !status.ok())
      return status;
  }

  std::mt19937 rng(static_cast<uint32_t>(options.seed * 7919 + step));
  const int64_t decay_step =
      static_cast<int64_t>(options.steps * (1.0 - options.final_lr_fraction));
  double sum_loss = 0, sum_bpp = 0, sum_psnr = 0;
  std::vector<double> sum_extra;
  int window = 0;
  auto window_start = Clock::now();
  while (step < options.steps) {
    const double lr = step >= decay_step ? options.learning_rate * 0.1
                                         : options.learning_rate;
    for (size_t g = 0; g < optimizer.param_groups().size(); ++g) {
      static_cast<torch::optim::AdamOptions&>(
          optimizer.param_groups()[g].options())
          .lr(lr * lr_scales[g]);
    }
    torch::Tensor x = data->Sample(options.batch, rng).to(*device);
    torch::Tensor quality =
        torch::rand({options.batch}, torch::TensorOptions().device(*device));
    const ObjectiveTerms terms = (*objective)(network, x, quality);
    optimizer.zero_grad();
    terms.loss.backward();
    torch::nn::utils::clip_grad_norm_(*trainable, options.clip_norm);
    optimizer.step();
    ++step;

    sum_loss += terms.loss.item<double>();
    sum_bpp += terms.bpp.mean().item<double>();
    sum_psnr += (-10.0 * torch::log10(terms.mse.clamp_min(1e-10)))
                    .mean()
                    .item<double>();
    sum_extra.resize(terms.extra.size());
    for (size_t i = 0; i < terms.extra.size(); ++i)
      sum_extra[i] += terms.extra[i].second.mean().item<double>();
    ++window;
    if (step % options.log_every == 0 || step == options.steps) {
      const double seconds =
          std::chrono::duration<double>(Clock::now() - window_start).count();
      std::string line = absl::StrFormat(
          "step %d/%d  loss %.4f  bpp %.4f  psnr %.2f dB", step, options.steps,
          sum_loss / window, sum_bpp / window, sum_psnr / window);
      for (size_t i = 0; i < terms.extra.size(); ++i) {
        absl::StrAppendFormat(&line, "  %s %.4f", terms.extra[i].first,
                              sum_extra[i] / window);
      }
      absl::StrAppendFormat(&line, "  %.1f img/s  lr %.1e\n",
                            window * options.batch / seconds, lr);
      std::fputs(line.c_str(), stderr);
      sum_loss = sum_bpp = sum_psnr = 0;
      sum_extra.assign(sum_extra.size(), 0.0);
      window = 0;
      window_start = Clock::now();
    }
    if (step % options.checkpoint_every == 0 || step == options.steps) {
      absl::Status status =
          SaveCheckpoint(options.out_dir, network, options, optimizer, step);
      if (!status.ok()) return status;
      status =
          MonitorAndLog(*objective, network, monitor_images, options, step);
      if (!status.ok()) return status;
      status = validator->Run(network, step);
      if (!status.ok()) return status;
    }
  }
  return absl::OkStatus();
}

}  // namespace vlmc::train
