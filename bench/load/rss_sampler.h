#ifndef VLMC_BENCH_LOAD_RSS_SAMPLER_H_
#define VLMC_BENCH_LOAD_RSS_SAMPLER_H_

#include <atomic>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vlmc::bench {

// VmRSS in KiB from the text of /proc/PID/status; NOT_FOUND when absent.
absl::StatusOr<long> ParseVmRssKib(absl::string_view proc_status);

// Samples a process's resident set size every 50 ms on a background thread
// and keeps the peak since the last ResetPeak(). Linux only (/proc).
class RssSampler {
 public:
  explicit RssSampler(int pid);
  ~RssSampler();
  RssSampler(const RssSampler&) = delete;
  RssSampler& operator=(const RssSampler&) = delete;

  void ResetPeak() { peak_kib_ = 0; }
  double PeakMb() const { return peak_kib_ / 1024.0; }

 private:
  void Loop();

  std::string status_path_;
  std::atomic<long> peak_kib_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_LOAD_RSS_SAMPLER_H_
