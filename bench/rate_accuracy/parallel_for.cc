#include "bench/rate_accuracy/parallel_for.h"

#include <algorithm>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace vlmc::bench {

absl::Status ParallelFor(
    int count, int workers,
    const std::function<absl::Status(int worker, int i)>& task) {
  std::mutex mu;
  int next = 0;
  int failed_index = count;
  absl::Status failure;
  auto work = [&](int worker) {
    while (true) {
      int i = 0;
      {
        std::lock_guard<std::mutex> lock(mu);
        if (next >= count || failed_index < count) return;
        i = next++;
      }
      absl::Status s = task(worker, i);
      if (!s.ok()) {
        std::lock_guard<std::mutex> lock(mu);
        if (i < failed_index) {
          failed_index = i;
          failure = std::move(s);
        }
      }
    }
  };
  workers = std::max(1, std::min(workers, count));
  if (workers == 1) {
    work(0);
    return failure;
  }
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w) threads.emplace_back(work, w);
  for (std::thread& t : threads) t.join();
  return failure;
}

}  // namespace vlmc::bench
