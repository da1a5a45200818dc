#include "server/work_queue.h"

#include <any>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vlmc::service {
namespace {

using ::testing::ElementsAre;

// Records which jobs ran or were skipped (and why), in order; a batch is
// one entry "[a,b]".
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
  // A job run by the batched path; its payload is its name.
  WorkQueue::Job BatchJob(const std::string& name,
                          const std::string& key = "k") {
    WorkQueue::Job job = Job(name, key);
    job.run = nullptr;
    job.payload = name;
    job.run_batch = [this](std::vector<WorkQueue::Job>& batch) {
      std::vector<std::string> names;
      for (const WorkQueue::Job& member : batch) {
        names.push_back(std::any_cast<std::string>(member.payload));
      }
      Add("[" + absl::StrJoin(names, ",") + "]");
    };
    return job;
  }
  // Returns once `count` entries are recorded.
  void WaitForEntries(size_t count) {
    std::unique_lock<std::mutex> lock(mutex_);
    grown_.wait(lock, [&] { return entries_.size() >= count; });
  }
  std::vector<std::string> entries() {
    std::lock_guard<std::mutex> lock(mutex_);
    return entries_;
  }

 private:
  void Add(const std::string& entry) {
    std::lock_guard<std::mutex> lock(mutex_);
    entries_.push_back(entry);
    grown_.notify_all();
  }
  std::mutex mutex_;
  std::condition_variable grown_;
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

WorkQueue::Options OneWorker(
    size_t capacity, int max_batch = 1,
    std::chrono::microseconds batch_window = std::chrono::microseconds(0)) {
  WorkQueue::Options options;
  options.workers = 1;
  options.capacity = capacity;
  options.max_batch = max_batch;
  options.batch_window = batch_window;
  return options;
}

// Longer than any test runs: a batch with this window only closes when it is
// full or the queue shuts down.
constexpr std::chrono::microseconds kEndlessWindow = std::chrono::hours(1);

// Returns once a worker has taken `jobs` jobs.
void WaitUntilTaken(const WorkQueue& queue, size_t jobs) {
  while (queue.running() < jobs) std::this_thread::yield();
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

TEST(WorkQueueBatchTest, WindowCollectsJobsSubmittedWhileItIsOpen) {
  Journal journal;
  WorkQueue queue(OneWorker(8, 3, kEndlessWindow));
  ASSERT_TRUE(queue.Submit(journal.BatchJob("a")).ok());
  WaitUntilTaken(queue, 1);  // the worker holds "a" with its window open
  ASSERT_TRUE(queue.Submit(journal.BatchJob("b")).ok());
  EXPECT_EQ(queue.queue_depth(), 0u);  // joined the batch, did not queue
  ASSERT_TRUE(queue.Submit(journal.BatchJob("c")).ok());
  // Three jobs fill the batch, so it runs without waiting for the window.
  journal.WaitForEntries(1);
  EXPECT_THAT(journal.entries(), ElementsAre("[a,b,c]"));
}

TEST(WorkQueueBatchTest, BatchesRespectTheLimitAndNeverMixKeys) {
  Journal journal;
  Blocker blocker;
  WorkQueue queue(OneWorker(8, 2, kEndlessWindow));
  ASSERT_TRUE(queue.Submit(blocker.Job()).ok());
  blocker.WaitStarted();
  for (const auto& [name, key] :
       std::vector<std::pair<std::string, std::string>>{{"a1", "A"},
                                                        {"b1", "B"},
                                                        {"a2", "A"},
                                                        {"a3", "A"},
                                                        {"b2", "B"},
                                                        {"a4", "A"}}) {
    ASSERT_TRUE(queue.Submit(journal.BatchJob(name, key)).ok());
  }
  blocker.Release();
  // Every batch is full when taken, so none waits for the window.
  journal.WaitForEntries(3);
  EXPECT_THAT(journal.entries(), ElementsAre("[a1,a2]", "[b1,b2]", "[a3,a4]"));
}

TEST(WorkQueueBatchTest, ZeroWindowRunsWhatIsThereWithoutWaiting) {
  Journal journal;
  WorkQueue queue(OneWorker(8, 8));
  ASSERT_TRUE(queue.Submit(journal.BatchJob("a")).ok());
  // Would wait forever if the worker kept the batch open for more.
  journal.WaitForEntries(1);
  ASSERT_TRUE(queue.Submit(journal.BatchJob("b")).ok());
  journal.WaitForEntries(2);
  EXPECT_THAT(journal.entries(), ElementsAre("[a]", "[b]"));
}

TEST(WorkQueueBatchTest, LoneJobRunsAsABatchOfOneWhenTheWindowCloses) {
  Journal journal;
  std::vector<WorkQueue::BatchReport> reports;
  WorkQueue::Options options = OneWorker(8, 8, std::chrono::milliseconds(1));
  options.on_batch = [&](const WorkQueue::BatchReport& report) {
    reports.push_back(report);
  };
  WorkQueue queue(std::move(options));
  ASSERT_TRUE(queue.Submit(journal.BatchJob("a")).ok());
  journal.WaitForEntries(1);
  queue.Shutdown();
  EXPECT_THAT(journal.entries(), ElementsAre("[a]"));
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].size, 1u);
  ASSERT_EQ(reports[0].window_wait_seconds.size(), 1u);
  // It waited out the window (1 ms) before running.
  EXPECT_GE(reports[0].window_wait_seconds[0], 0.001);
}

TEST(WorkQueueBatchTest, DeadOrCancelledJobsAreSkippedAndLeftOutOfTheBatch) {
  Journal journal;
  Blocker blocker;
  std::vector<size_t> batch_sizes;
  WorkQueue::Options options = OneWorker(8, 4, kEndlessWindow);
  options.on_batch = [&](const WorkQueue::BatchReport& report) {
    batch_sizes.push_back(report.size);
  };
  WorkQueue queue(std::move(options));
  ASSERT_TRUE(queue.Submit(blocker.Job()).ok());
  blocker.WaitStarted();
  WorkQueue::Job late = journal.BatchJob("late");
  late.deadline = WorkQueue::Clock::now() - std::chrono::seconds(1);
  WorkQueue::Job cancelled = journal.BatchJob("cancelled");
  cancelled.is_cancelled = [] { return true; };
  ASSERT_TRUE(queue.Submit(journal.BatchJob("a")).ok());
  ASSERT_TRUE(queue.Submit(std::move(late)).ok());
  ASSERT_TRUE(queue.Submit(std::move(cancelled)).ok());
  ASSERT_TRUE(queue.Submit(journal.BatchJob("b")).ok());
  blocker.Release();
  journal.WaitForEntries(3);
  EXPECT_THAT(journal.entries(), ElementsAre("late:DEADLINE_EXCEEDED",
                                             "cancelled:CANCELLED", "[a,b]"));
  EXPECT_THAT(batch_sizes, ElementsAre(2u));
  queue.Shutdown();
  EXPECT_EQ(queue.running(), 0u);
}

TEST(WorkQueueBatchTest, ShutdownClosesOpenWindowsAndDrains) {
  Journal journal;
  WorkQueue::Options options = OneWorker(8, 8, kEndlessWindow);
  options.workers = 2;
  WorkQueue queue(std::move(options));
  ASSERT_TRUE(queue.Submit(journal.BatchJob("a1", "A")).ok());
  WaitUntilTaken(queue, 1);
  ASSERT_TRUE(queue.Submit(journal.BatchJob("b1", "B")).ok());
  WaitUntilTaken(queue, 2);  // both workers hold an open window
  ASSERT_TRUE(queue.Submit(journal.BatchJob("a2", "A")).ok());
  ASSERT_TRUE(queue.Submit(journal.Job("plain", "C")).ok());
  queue.Shutdown();  // returns only once everything accepted has run
  EXPECT_THAT(journal.entries(),
              ::testing::UnorderedElementsAre("[a1,a2]", "[b1]", "plain"));
  EXPECT_EQ(queue.Submit(journal.BatchJob("a3", "A")).code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(queue.running(), 0u);
  EXPECT_EQ(queue.queue_depth(), 0u);
}

}  // namespace
}  // namespace vlmc::service
