#include "server/work_queue.h"

#include <atomic>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vlmc::service {
namespace {

using ::testing::ElementsAre;

// Records which jobs ran or were skipped (and why), in order.
class Journal {
 public:
  WorkQueue::Job Job(const std::string& name, const std::string& key = "k") {
    WorkQueue::Job job;
    job.batch_key = key;
    job.run = [this, name] { Add(name); };
    job.skip = [this, name](const absl::Status& why) {
      Add(name + ":" + absl::StatusCodeToString(why.code()));
    };
    return job;
  }
  std::vector<std::string> entries() {
    std::lock_guard<std::mutex> lock(mutex_);
    return entries_;
  }

 private:
  void Add(const std::string& entry) {
    std::lock_guard<std::mutex> lock(mutex_);
    entries_.push_back(entry);
  }
  std::mutex mutex_;
  std::vector<std::string> entries_;
};

// Occupies a worker until Release(); Started() returns once it runs.
class Blocker {
 public:
  WorkQueue::Job Job() {
    WorkQueue::Job job;
    job.run = [this] {
      started_.set_value();
      release_future_.wait();
    };
    job.skip = [](const absl::Status&) {};
    return job;
  }
  void WaitStarted() { started_.get_future().wait(); }
  void Release() { release_.set_value(); }

 private:
  std::promise<void> started_;
  std::promise<void> release_;
  std::shared_future<void> release_future_ = release_.get_future().share();
};

WorkQueue::Options OneWorker(size_t capacity, int max_batch = 1) {
  WorkQueue::Options options;
  options.workers = 1;
  options.capacity = capacity;
  options.max_batch = max_batch;
  return options;
}

TEST(WorkQueueTest, RunsSubmittedJobs) {
  Journal journal;
  {
    WorkQueue queue(OneWorker(4));
    ASSERT_TRUE(queue.Submit(journal.Job("a")).ok());
    ASSERT_TRUE(queue.Submit(journal.Job("b")).ok());
  }  // the destructor drains
  EXPECT_THAT(journal.entries(), ElementsAre("a", "b"));
}

TEST(WorkQueueTest, FullQueueIsResourceExhausted) {
  Journal journal;
  Blocker blocker;
  WorkQueue queue(OneWorker(2));
  ASSERT_TRUE(queue.Submit(blocker.Job()).ok());
  blocker.WaitStarted();
  ASSERT_TRUE(queue.Submit(journal.Job("a")).ok());
  ASSERT_TRUE(queue.Submit(journal.Job("b")).ok());
  EXPECT_EQ(queue.queue_depth(), 2u);
  EXPECT_EQ(queue.running(), 1u);
  absl::Status full = queue.Submit(journal.Job("c"));
  EXPECT_EQ(full.code(), absl::StatusCode::kResourceExhausted);
  blocker.Release();
  queue.Shutdown();
  // The refused job was neither run nor skipped.
  EXPECT_THAT(journal.entries(), ElementsAre("a", "b"));
  EXPECT_EQ(queue.running(), 0u);
}

TEST(WorkQueueTest, ExpiredOrCancelledJobsAreSkippedNotRun) {
  Journal journal;
  Blocker blocker;
  WorkQueue queue(OneWorker(4));
  ASSERT_TRUE(queue.Submit(blocker.Job()).ok());
  blocker.WaitStarted();
  WorkQueue::Job late = journal.Job("late");
  late.deadline = WorkQueue::Clock::now() - std::chrono::seconds(1);
  WorkQueue::Job cancelled = journal.Job("cancelled");
  cancelled.is_cancelled = [] { return true; };
  WorkQueue::Job live = journal.Job("live");
  live.deadline = WorkQueue::Clock::now() + std::chrono::hours(1);
  live.is_cancelled = [] { return false; };
  ASSERT_TRUE(queue.Submit(std::move(late)).ok());
  ASSERT_TRUE(queue.Submit(std::move(cancelled)).ok());
  ASSERT_TRUE(queue.Submit(std::move(live)).ok());
  blocker.Release();
  queue.Shutdown();
  EXPECT_THAT(journal.entries(), ElementsAre("late:DEADLINE_EXCEEDED",
                                             "cancelled:CANCELLED", "live"));
}

TEST(WorkQueueTest, ShutdownDrainsQueuedJobsAndRefusesNewOnes) {
  Journal journal;
  Blocker blocker;
  WorkQueue queue(OneWorker(8));
  ASSERT_TRUE(queue.Submit(blocker.Job()).ok());
  blocker.WaitStarted();
  for (const char* name : {"a", "b", "c"}) {
    ASSERT_TRUE(queue.Submit(journal.Job(name)).ok());
  }
  std::thread stopper([&] { queue.Shutdown(); });
  // Shutdown waits for the blocked worker; new work is refused meanwhile.
  // Until the stopper gets there a Submit may still be accepted (and run).
  while (queue.Submit(journal.Job("raced")).code() !=
         absl::StatusCode::kUnavailable) {
    std::this_thread::yield();
  }
  blocker.Release();
  stopper.join();
  const std::vector<std::string> entries = journal.entries();
  ASSERT_GE(entries.size(), 3u);
  EXPECT_THAT(std::vector<std::string>(entries.begin(), entries.begin() + 3),
              ElementsAre("a", "b", "c"));
  for (size_t i = 3; i < entries.size(); ++i) EXPECT_EQ(entries[i], "raced");
}

TEST(WorkQueueTest, WorkerTakesWaitingJobsOfTheSameKeyTogether) {
  for (int max_batch : {1, 2, 3}) {
    Journal journal;
    Blocker blocker;
    WorkQueue queue(OneWorker(8, max_batch));
    ASSERT_TRUE(queue.Submit(blocker.Job()).ok());
    blocker.WaitStarted();
    ASSERT_TRUE(queue.Submit(journal.Job("a1", "A")).ok());
    ASSERT_TRUE(queue.Submit(journal.Job("b1", "B")).ok());
    ASSERT_TRUE(queue.Submit(journal.Job("a2", "A")).ok());
    ASSERT_TRUE(queue.Submit(journal.Job("a3", "A")).ok());
    ASSERT_TRUE(queue.Submit(journal.Job("b2", "B")).ok());
    blocker.Release();
    queue.Shutdown();
    const std::vector<std::string> entries = journal.entries();
    if (max_batch == 1) {
      EXPECT_THAT(entries, ElementsAre("a1", "b1", "a2", "a3", "b2"));
    } else if (max_batch == 2) {
      EXPECT_THAT(entries, ElementsAre("a1", "a2", "b1", "b2", "a3"));
    } else {
      EXPECT_THAT(entries, ElementsAre("a1", "a2", "a3", "b1", "b2"));
    }
  }
}

TEST(WorkQueueTest, ReportsCountsToTheObserver) {
  std::atomic<size_t> last_depth{99};
  WorkQueue::Options options = OneWorker(4);
  options.on_change = [&](size_t depth, size_t) { last_depth = depth; };
  Blocker blocker;
  Journal journal;
  WorkQueue queue(std::move(options));
  ASSERT_TRUE(queue.Submit(blocker.Job()).ok());
  blocker.WaitStarted();
  ASSERT_TRUE(queue.Submit(journal.Job("a")).ok());
  EXPECT_EQ(last_depth.load(), 1u);
  blocker.Release();
  queue.Shutdown();
  EXPECT_EQ(last_depth.load(), 0u);
}

}  // namespace
}  // namespace vlmc::service
