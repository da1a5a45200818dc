#ifndef VLMC_MODELS_TRAIN_LEVEL_MONITOR_H_
#define VLMC_MODELS_TRAIN_LEVEL_MONITOR_H_

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "models/codec/hyperprior_network.h"
#include "models/train/training_loop.h"

namespace vlmc::train {

// One quality level's mean terms over the monitor images.
struct LevelReport {
  double quality = 0;
  double bpp = 0;
  double psnr = 0;  // dB, from the mean MSE of the level
  // The objective's extra terms (e.g. "cos", "Lrk"), means over the images.
  std::vector<std::pair<std::string, double>> extra;
};

// Runs `objective` without autograd on `images` [N, 3, S, S] at each of
// `qualities` (every image at the same quality) and returns one report per
// quality. The progress line averages over random qualities and crops, which
// hides a drift of one level's rate; this measures each level on the same
// images every time. The additive-noise rate proxy is drawn from the images'
// device's default generator, seeded the same way on every call, and the
// caller's generator state is restored afterwards, so training continues
// exactly as without the monitor.
std::vector<LevelReport> MonitorLevels(const Objective& objective,
                                       codec::HyperpriorNetwork& network,
                                       const torch::Tensor& images,
                                       const std::vector<double>& qualities);

// "monitor step 500: q=0 bpp 0.2330 psnr 27.10 cos 0.5400 | q=0.5 ...".
std::string FormatLevelReports(int64_t step,
                               const std::vector<LevelReport>& reports);

// Tab-separated rows "step quality bpp psnr <extra...>", one per report;
// `header` is the column line written when the file is new.
std::string LevelReportRows(int64_t step,
                            const std::vector<LevelReport>& reports);
std::string LevelReportHeader(const std::vector<LevelReport>& reports);

}  // namespace vlmc::train

#endif  // VLMC_MODELS_TRAIN_LEVEL_MONITOR_H_
