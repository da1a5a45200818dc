// vlmc-task-step-cost: seconds per training step of the task objective's
// pieces on this machine, to size CPU training (crop, batch, pre-editor
// width, token-model input size), and, with --init and --data, the loss
// terms' magnitudes at a few qualities to calibrate the task-loss weights.
//
//   vlmc-task-step-cost [--crops 128,192] [--batch 4] [--token-sizes 0,256]
//       [--pre-widths 16,32,64] [--stride 16] [--steps 5] [--threads 1]
//       [--init model.safetensors] [--data dir1,dir2]
//
// --token-sizes: token-model input sizes; 0 means "the crop size".
// Prints one CSV row per set-up: crop, setup, token_size, the median wall
// seconds per step and the median process CPU seconds per step (on a shared
// machine the CPU time is the steadier number).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>
#include <vector>

#include "absl/strings/str_split.h"
#include "bench/cli_args.h"
#include "models/codec/checkpoint.h"
#include "models/codec/hyperprior_network.h"
#include "models/codec/pre_editor.h"
#include "models/codec/safetensors.h"
#include "models/nn/cpu_threads.h"
#include "models/semantic/token_model.h"
#include "models/train/crop_dataset.h"
#include "models/train/rd_loss.h"
#include "models/train/task_loss.h"

namespace vlmc {
namespace {

using Clock = std::chrono::steady_clock;

struct Setup {
  bool pre_editor = false;
  const semantic::TokenModel* tokens = nullptr;  // null: rate-distortion only
};

struct Bench {
  codec::CodecConfig config;
  codec::HyperpriorNetwork network{nullptr};
  codec::PreEditor editor{nullptr};
  train::TaskLossWeights weights;
};

// One optimiser step of the given set-up on batch `x`; returns the terms.
train::TaskTerms Step(Bench& b, const Setup& setup, const torch::Tensor& x,
                      const torch::Tensor& quality,
                      torch::optim::Optimizer& optimizer) {
  const torch::Tensor lambda = train::LambdaForQuality(b.config, quality);
  const torch::Tensor edited =
      setup.pre_editor ? b.editor->forward(x, quality) : x;
  const codec::TrainingOutput out = b.network->forward(edited, quality);
  train::TaskTerms terms;
  if (setup.tokens == nullptr) {
    const train::RdTerms rd =
        train::RateDistortion(out, x, lambda,
                              train::LevelBalanceWeights(
                                  lambda, b.config.level_lambdas.front(), 0.5));
    terms.loss = rd.loss;
  } else {
    torch::Tensor reference;
    {
      torch::NoGradGuard no_grad;
      reference = *setup.tokens->Tokens(x);
    }
    const torch::Tensor tokens = *setup.tokens->Tokens(out.x_hat);
    terms = train::TaskObjective(out, x, {reference}, {tokens}, lambda,
                                 b.config.level_lambdas.front(), b.weights);
  }
  optimizer.zero_grad();
  terms.loss.backward();
  optimizer.step();
  return terms;
}

double CpuSeconds() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// {wall, CPU} median seconds per step.
std::pair<double, double> SecondsPerStep(Bench& b, const Setup& setup, int crop,
                                         int batch, int steps) {
  std::vector<torch::Tensor> params = b.network->parameters();
  if (setup.pre_editor) {
    for (const torch::Tensor& p : b.editor->parameters()) params.push_back(p);
  }
  torch::optim::Adam optimizer(params, torch::optim::AdamOptions(1e-6));
  std::vector<double> wall, cpu;
  for (int i = 0; i < steps + 2; ++i) {  // 2 warm-up steps
    const torch::Tensor x = torch::rand({batch, 3, crop, crop});
    const torch::Tensor q = torch::rand({batch});
    const auto start = Clock::now();
    const double cpu_start = CpuSeconds();
    Step(b, setup, x, q, optimizer);
    if (i >= 2) {
      wall.push_back(
          std::chrono::duration<double>(Clock::now() - start).count());
      cpu.push_back(CpuSeconds() - cpu_start);
    }
  }
  return {Median(wall), Median(cpu)};
}

// The token model's share of a task step alone: T(x) without autograd,
// T(x^) with it, both token losses and their backward to x^.
std::pair<double, double> TokenSecondsPerStep(const semantic::TokenModel& model,
                                              int crop, int batch, int steps) {
  std::vector<double> wall, cpu;
  for (int i = 0; i < steps + 2; ++i) {
    const torch::Tensor x = torch::rand({batch, 3, crop, crop});
    const torch::Tensor x_hat =
        (x + 0.05 * torch::randn_like(x)).requires_grad_(true);
    const auto start = Clock::now();
    const double cpu_start = CpuSeconds();
    torch::Tensor reference;
    {
      torch::NoGradGuard no_grad;
      reference = *model.Tokens(x);
    }
    const torch::Tensor tokens = *model.Tokens(x_hat);
    ((1.0 - train::TokenCosine(reference, tokens)).sum() +
     train::TokenRankLoss(reference, tokens, 1e-3).sum())
        .backward();
    if (i >= 2) {
      wall.push_back(
          std::chrono::duration<double>(Clock::now() - start).count());
      cpu.push_back(CpuSeconds() - cpu_start);
    }
  }
  return {Median(wall), Median(cpu)};
}

void PrintRow(int crop, const char* setup, const std::string& token_size,
              std::pair<double, double> seconds) {
  std::printf("%d,%s,%s,%.3f,%.3f\n", crop, setup, token_size.c_str(),
              seconds.first, seconds.second);
  std::fflush(stdout);
}

// Loss terms of the (warm-started) codec on real crops, without the
// pre-editor, at qualities 0, 0.5, 1.
void PrintMagnitudes(Bench& b, const semantic::TokenModel& tokens,
                     const train::CropDataset& data, int crop, int batches) {
  torch::NoGradGuard no_grad;
  b.network->eval();
  std::mt19937 rng(1);
  std::printf("crop,quality,bpp,mse255,token_cos,l_tk,l_rk,k,rank_dirs\n");
  for (double q : {0.0, 0.5, 1.0}) {
    double bpp = 0, mse = 0, cos = 0, rank = 0, dirs = 0;
    int64_t k = 0;
    for (int i = 0; i < batches; ++i) {
      const torch::Tensor x = data.Sample(8, rng);
      const torch::Tensor quality = torch::full({8}, q);
      const codec::TrainingOutput out = b.network->forward(x, quality);
      const torch::Tensor reference = *tokens.Tokens(x);
      // Directions T(x) occupies: sum of Lrk's weights e / (e + δ).
      const torch::Tensor e = train::TokenSpectrum(reference);
      const torch::Tensor floor =
          b.weights.rank_ridge * e.mean(-1, /*keepdim=*/true);
      dirs += (e / (e + floor)).sum(-1).mean().item<double>() / batches;
      k = e.size(1);
      const train::TaskTerms t =
          train::TaskObjective(out, x, {reference}, {*tokens.Tokens(out.x_hat)},
                               train::LambdaForQuality(b.config, quality),
                               b.config.level_lambdas.front(), b.weights);
      bpp += t.bpp.mean().item<double>() / batches;
      mse += t.mse.mean().item<double>() * 255 * 255 / batches;
      cos += t.cosine.mean().item<double>() / batches;
      rank += t.rank.mean().item<double>() / batches;
    }
    std::printf("%d,%.1f,%.3f,%.1f,%.4f,%.4f,%.4f,%lld,%.1f\n", crop, q, bpp,
                mse, cos, 1.0 - cos, rank, static_cast<long long>(k), dirs);
  }
  b.network->train();
}

int Run(int argc, char** argv) {
  absl::StatusOr<std::map<std::string, std::string>> flags =
      bench::ParseFlags(argc, argv,
                        {"crops", "batch", "token-sizes", "pre-widths",
                         "stride", "steps", "threads", "init", "data"});
  if (!flags.ok()) {
    std::fprintf(stderr, "%s\n", flags.status().ToString().c_str());
    return 2;
  }
  auto get = [&](const char* name, const char* fallback) {
    auto it = flags->find(name);
    return it == flags->end() ? std::string(fallback) : it->second;
  };
  absl::StatusOr<std::vector<int>> crops =
      bench::ParseIntList(get("crops", "128,192"), "crops");
  absl::StatusOr<std::vector<int>> sizes =
      bench::ParseIntList(get("token-sizes", "0"), "token-sizes");
  absl::StatusOr<std::vector<int>> scalars =
      bench::ParseIntList(get("batch", "4") + "," + get("stride", "16") + "," +
                              get("steps", "5") + "," + get("threads", "1"),
                          "batch/stride/steps/threads");
  absl::StatusOr<codec::PreEditorConfig> pre =
      codec::ParsePreEditorWidths(get("pre-widths", "16,32,64"));
  for (const absl::Status& s :
       {crops.status(), sizes.status(), scalars.status(), pre.status()}) {
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", s.ToString().c_str());
      return 2;
    }
  }
  const int batch = (*scalars)[0], stride = (*scalars)[1],
            steps = (*scalars)[2];
  nn::SetCpuThreads((*scalars)[3]);

  Bench b;
  torch::manual_seed(0);
  if (const std::string init = get("init", ""); !init.empty()) {
    absl::StatusOr<codec::TensorFile> file = codec::ReadSafetensorsFile(init);
    absl::StatusOr<codec::CodecConfig> config =
        file.ok() ? codec::CodecConfig::FromMetadata(file->metadata)
                  : absl::StatusOr<codec::CodecConfig>(file.status());
    if (!config.ok()) {
      std::fprintf(stderr, "%s\n", config.status().ToString().c_str());
      return 1;
    }
    b.config = *config;
    b.network = codec::HyperpriorNetwork(b.config);
    if (absl::Status s = codec::LoadNetworkWeights(*file, b.network); !s.ok()) {
      std::fprintf(stderr, "%s\n", s.ToString().c_str());
      return 1;
    }
  } else {
    b.network = codec::HyperpriorNetwork(b.config);
  }
  b.editor = codec::PreEditor(
      *pre, static_cast<int64_t>(b.config.level_lambdas.size()));
  std::fprintf(stderr,
               "N=%lld M=%lld, pre-editor %s, batch %d, %d threads, token "
               "stride %d, median of %d steps\n",
               static_cast<long long>(b.config.channels_n),
               static_cast<long long>(b.config.channels_m),
               codec::FormatPreEditorWidths(*pre).c_str(), batch, (*scalars)[3],
               stride, steps);

  std::printf("crop,setup,token_size,wall_s_per_step,cpu_s_per_step\n");
  for (int crop : *crops) {
    PrintRow(crop, "codec", "-",
             SecondsPerStep(b, Setup{}, crop, batch, steps));
    PrintRow(crop, "codec+pre", "-",
             SecondsPerStep(b, Setup{true, nullptr}, crop, batch, steps));
    for (int size : *sizes) {
      semantic::TokenModelOptions options;
      options.strides = {stride};
      options.input_size = size == 0 ? crop : size;
      absl::StatusOr<std::unique_ptr<semantic::TokenModel>> tokens =
          semantic::TokenModel::Load(options);
      if (!tokens.ok()) {
        std::fprintf(stderr, "%s\n", tokens.status().ToString().c_str());
        return 1;
      }
      PrintRow(crop, "tokens", std::to_string(options.input_size),
               TokenSecondsPerStep(**tokens, crop, batch, steps));
      PrintRow(
          crop, "codec+pre+tokens", std::to_string(options.input_size),
          SecondsPerStep(b, Setup{true, tokens->get()}, crop, batch, steps));
    }
  }

  if (const std::string data_dirs = get("data", ""); !data_dirs.empty()) {
    absl::StatusOr<std::vector<std::string>> files =
        train::ListImages(absl::StrSplit(data_dirs, ',', absl::SkipEmpty()));
    if (!files.ok()) {
      std::fprintf(stderr, "%s\n", files.status().ToString().c_str());
      return 1;
    }
    for (int crop : *crops) {
      absl::StatusOr<train::CropDataset> data =
          train::CropDataset::Load(*files, crop);
      semantic::TokenModelOptions options;
      options.strides = {stride};
      options.input_size = (*sizes)[0] == 0 ? crop : (*sizes)[0];
      absl::StatusOr<std::unique_ptr<semantic::TokenModel>> tokens =
          semantic::TokenModel::Load(options);
      if (!data.ok() || !tokens.ok()) {
        std::fprintf(stderr, "cannot load data or token model\n");
        return 1;
      }
      PrintMagnitudes(b, **tokens, *data, crop, /*batches=*/4);
    }
  }
  return 0;
}

}  // namespace
}  // namespace vlmc

int main(int argc, char** argv) { return vlmc::Run(argc, argv); }
