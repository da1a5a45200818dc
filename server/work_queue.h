#ifndef VLMC_SERVER_WORK_QUEUE_H_
#define VLMC_SERVER_WORK_QUEUE_H_

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"

namespace vlmc::service {

// A fixed pool of worker threads fed by a bounded FIFO queue.
//
// Batching: a worker that takes a job also takes up to max_batch - 1 more
// waiting jobs with the same batch key (same RPC and model) and runs them
// back to back. The codec has no batched call, so this does not merge
// network passes; it only keeps one model's work together on one thread.
class WorkQueue {
 public:
  using Clock = std::chrono::system_clock;

  struct Job {
    std::string batch_key;
    Clock::time_point deadline = Clock::time_point::max();
    // Optional; polled just before the job would start.
    std::function<bool()> is_cancelled;
    // Exactly one of these is called for every accepted job: `run` on a
    // worker, or `skip` with DEADLINE_EXCEEDED / CANCELLED when the deadline
    // passed or the call was cancelled while the job waited.
    std::function<void()> run;
    std::function<void(const absl::Status& why)> skip;
  };

  struct Options {
    int workers = 1;
    size_t capacity = 16;  // waiting jobs, not counting running ones
    int max_batch = 1;
    // Called under the queue's lock whenever the counts change (keep it
    // cheap; it must not call back into the queue).
    std::function<void(size_t queue_depth, size_t running)> on_change;
  };

  explicit WorkQueue(Options options);
  // Shutdown().
  ~WorkQueue();

  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // Queues `job`. RESOURCE_EXHAUSTED when `capacity` jobs are waiting,
  // UNAVAILABLE after Shutdown() began; the job's callbacks are not called
  // then.
  absl::Status Submit(Job job);

  // Refuses new jobs, lets the workers finish every queued job (each still
  // runs or is skipped) and joins them. Idempotent.
  void Shutdown();

  size_t queue_depth() const;
  size_t running() const;

 private:
  void WorkerLoop();
  // Takes the front job and up to max_batch - 1 waiting jobs sharing its key.
  std::vector<Job> TakeBatchLocked();
  void NotifyLocked();

  const Options options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::list<Job> waiting_;
  size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace vlmc::service

#endif  // VLMC_SERVER_WORK_QUEUE_H_
