#include "models/train/level_monitor.h"

#include <ATen/Context.h>

#include <cmath>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace vlmc::train {
namespace {

// Seed of the monitor's noise draws: fixed so that two monitor calls differ
// only by what training changed.
constexpr uint64_t kMonitorSeed = 20261202;

// Seeds the default generator of `device` (where the network draws its
// noise) for the monitor and puts the training state back when it goes out of
// scope.
class ScopedMonitorGenerator {
 public:
  explicit ScopedMonitorGenerator(const torch::Device& device)
      : generator_(at::globalContext().defaultGenerator(device)) {
    std::lock_guard<std::mutex> lock(generator_.mutex());
    saved_state_ = generator_.get_state();
    generator_.set_current_seed(kMonitorSeed);
  }
  ~ScopedMonitorGenerator() {
    std::lock_guard<std::mutex> lock(generator_.mutex());
    generator_.set_state(saved_state_);
  }
  ScopedMonitorGenerator(const ScopedMonitorGenerator&) = delete;
  ScopedMonitorGenerator& operator=(const ScopedMonitorGenerator&) = delete;

 private:
  at::Generator generator_;
  torch::Tensor saved_state_;
};

}  // namespace

std::vector<LevelReport> MonitorLevels(const Objective& objective,
                                       codec::HyperpriorNetwork& network,
                                       const torch::Tensor& images,
                                       const std::vector<double>& qualities) {
  torch::NoGradGuard no_grad;
  ScopedMonitorGenerator generator(images.device());
  std::vector<LevelReport> reports;
  for (double q : qualities) {
    const torch::Tensor quality =
        torch::full({images.size(0)}, q, images.options());
    const ObjectiveTerms terms = objective(network, images, quality);
    LevelReport report;
    report.quality = q;
    report.bpp = terms.bpp.mean().item<double>();
    const double mse = terms.mse.mean().item<double>();
    report.psnr = -10.0 * std::log10(std::max(mse, 1e-10));
    for (const auto& [name, values] : terms.extra)
      report.extra.emplace_back(name, values.mean().item<double>());
    reports.push_back(std::move(report));
  }
  return reports;
}

std::string FormatLevelReports(int64_t step,
                               const std::vector<LevelReport>& reports) {
  std::string line = absl::StrCat("monitor step ", step, ":");
  for (size_t i = 0; i < reports.size(); ++i) {
    const LevelReport& r = reports[i];
    absl::StrAppendFormat(&line, "%s q=%g bpp %.4f psnr %.2f",
                          i == 0 ? "" : " |", r.quality, r.bpp, r.psnr);
    for (const auto& [name, value] : r.extra)
      absl::StrAppendFormat(&line, " %s %.4f", name, value);
  }
  return line + "\n";
}

std::string LevelReportHeader(const std::vector<LevelReport>& reports) {
  std::string header = "step\tquality\tbpp\tpsnr";
  if (!reports.empty()) {
    for (const auto& [name, value] : reports.front().extra)
      absl::StrAppend(&header, "\t", name);
  }
  return header + "\n";
}

std::string LevelReportRows(int64_t step,
                            const std::vector<LevelReport>& reports) {
  std::string rows;
  for (const LevelReport& r : reports) {
    absl::StrAppendFormat(&rows, "%d\t%g\t%.5f\t%.3f", step, r.quality, r.bpp,
                          r.psnr);
    for (const auto& [name, value] : r.extra)
      absl::StrAppendFormat(&rows, "\t%.5f", value);
    rows += "\n";
  }
  return rows;
}

}  // namespace vlmc::train
