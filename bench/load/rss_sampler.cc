#include "bench/load/rss_sampler.h"

#include <chrono>
#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace vlmc::bench {

absl::StatusOr<long> ParseVmRssKib(absl::string_view proc_status) {
  for (absl::string_view line : absl::StrSplit(proc_status, '\n')) {
    if (!absl::ConsumePrefix(&line, "VmRSS:")) continue;
    line = absl::StripAsciiWhitespace(line);
    absl::ConsumeSuffix(&line, "kB");
    long kib = 0;
    if (absl::SimpleAtoi(absl::StripAsciiWhitespace(line), &kib)) return kib;
  }
  return absl::NotFoundError("no VmRSS line");
}

RssSampler::RssSampler(int pid)
    : status_path_(absl::StrCat("/proc/", pid, "/status")),
      thread_([this] { Loop(); }) {}

RssSampler::~RssSampler() {
  stop_ = true;
  thread_.join();
}

void RssSampler::Loop() {
  while (!stop_) {
    std::ifstream file(status_path_);
    std::stringstream text;
    text << file.rdbuf();
    absl::StatusOr<long> kib = ParseVmRssKib(text.str());
    if (kib.ok() && *kib > peak_kib_) peak_kib_ = *kib;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace vlmc::bench
