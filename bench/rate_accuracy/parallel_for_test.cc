#include "bench/rate_accuracy/parallel_for.h"

#include <atomic>
#include <mutex>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace vlmc::bench {
namespace {

TEST(ParallelForTest, RunsEveryIndexOnceOnValidWorkers) {
  for (int workers : {1, 3}) {
    std::mutex mu;
    std::vector<int> seen(50, 0);
    std::set<int> worker_ids;
    absl::Status s = ParallelFor(50, workers, [&](int worker, int i) {
      std::lock_guard<std::mutex> lock(mu);
      ++seen[i];
      worker_ids.insert(worker);
      return absl::OkStatus();
    });
    ASSERT_TRUE(s.ok()) << s;
    for (int i = 0; i < 50; ++i) EXPECT_EQ(seen[i], 1) << "index " << i;
    EXPECT_GE(*worker_ids.begin(), 0);
    EXPECT_LT(*worker_ids.rbegin(), workers);
  }
}

TEST(ParallelForTest, NothingToDoIsOk) {
  EXPECT_TRUE(ParallelFor(0, 4, [](int, int) {
                return absl::InternalError("never called");
              }).ok());
}

TEST(ParallelForTest, StopsAfterAFailureAndReportsTheLowestFailedIndex) {
  for (int workers : {1, 2}) {
    std::atomic<int> started{0};
    absl::Status s = ParallelFor(1000, workers, [&](int, int i) {
      ++started;
      if (i == 7 || i == 9) return absl::NotFoundError(absl::StrCat(i));
      return absl::OkStatus();
    });
    EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
    EXPECT_EQ(s.message(), "7") << workers << " workers";
    EXPECT_LT(started.load(), 1000) << workers << " workers";
  }
}

}  // namespace
}  // namespace vlmc::bench
