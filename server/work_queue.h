#ifndef VLMC_SERVER_WORK_QUEUE_H_
#define VLMC_SERVER_WORK_QUEUE_H_

#include <any>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <list>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"

namespace vlmc::service {

// A fixed pool of worker threads fed by a bounded FIFO queue.
//
// Batching, by the batch key (e.g. RPC, model and latent shape):
// - Jobs with `run_batch` are run as one batch: a worker that takes such a
//   job also takes the waiting jobs with its key, then keeps the batch open
//   for up to `batch_window` for more to arrive (jobs submitted meanwhile
//   join it instead of queueing), until it holds `max_batch` jobs. Then the
//   batch's live jobs go to one run_batch call. A window of zero never
//   waits; max_batch 1 turns batching off.
// - Jobs with `run` only: the worker takes up to max_batch - 1 more waiting
//   jobs with the same key and runs them back to back, without waiting.
class WorkQueue {
 public:
  using Clock = std::chrono::system_clock;

  struct Job {
    std::string batch_key;
    Clock::time_point deadline = Clock::time_point::max();
    // Optional; polled just before the job would start.
    std::function<bool()> is_cancelled;
    // Set exactly one of `run` and `run_batch`. Every accepted job then ends
    // in exactly one of: `run`, one run_batch call that includes it, or
    // `skip` with DEADLINE_EXCEEDED / CANCELLED when the deadline passed or
    // the call was cancelled while the job waited (a skipped job is left out
    // of its batch).
    std::function<void()> run;
    // Runs a batch: the live jobs of one key, in arrival order, the first
    // one's run_batch called once. Jobs sharing a key must all set it, to
    // interchangeable functions (the same handler), and `payload` carries
    // what it needs from each job.
    std::function<void(std::vector<Job>& batch)> run_batch;
    std::any payload;
    std::function<void(const absl::Status& why)> skip;
  };

  // One run_batch call, for metrics.
  struct BatchReport {
    size_t size = 0;  // live jobs run together
    // Per live job: seconds from when it joined the batch (taken from the
    // queue, or submitted into the open window) until the batch started.
    std::vector<double> window_wait_seconds;
  };

  struct Options {
    int workers = 1;
    size_t capacity = 16;  // waiting jobs, not counting taken ones
    int max_batch = 1;
    // How long a batch stays open for more jobs of its key (run_batch jobs
    // only).
    std::chrono::microseconds batch_window{0};
    // Called under the queue's lock whenever the counts change (keep it
    // cheap; it must not call back into the queue).
    std::function<void(size_t queue_depth, size_t running)> on_change;
    // Called on the worker, without the lock, before each run_batch call.
    std::function<void(const BatchReport& report)> on_batch;
  };

  explicit WorkQueue(Options options);
  // Shutdown().
  ~WorkQueue();

  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // Queues `job` (or adds it to an open batch of its key). RESOURCE_EXHAUSTED
  // when `capacity` jobs are waiting, UNAVAILABLE after Shutdown() began; the
  // job's callbacks are not called then.
  absl::Status Submit(Job job);

  // Refuses new jobs, closes open batch windows, lets the workers finish
  // every accepted job (each still runs or is skipped) and joins them.
  // Idempotent.
  void Shutdown();

  size_t queue_depth() const;
  // Jobs a worker has taken: running, or in a batch waiting for its window.
  size_t running() const;

 private:
  // A batch a worker is collecting (lives on that worker's stack).
  struct OpenBatch {
    std::vector<Job> jobs;
    std::vector<std::chrono::steady_clock::time_point> joined;
    std::condition_variable grown;
  };

  void WorkerLoop();
  // Takes the front job and up to max_batch - 1 waiting jobs sharing its key.
  std::vector<Job> TakeGroupLocked();
  // Collects the batch of the front job (a run_batch one): the waiting jobs
  // of its key, then those submitted within the window.
  void CollectBatchLocked(std::unique_lock<std::mutex>& lock, OpenBatch& batch);
  // Runs or skips each job of a `run` group.
  void RunGroup(std::vector<Job>& group);
  // Skips the dead jobs of `batch`, runs the live ones together.
  void RunBatch(OpenBatch& batch);
  // Calls job.skip and returns true when the job must not run any more.
  static bool SkipIfDead(Job& job);
  void FinishedLocked(size_t jobs);
  void NotifyLocked();

  const Options options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::list<Job> waiting_;
  // Batches in their window, by key (at most one per key: a full batch
  // leaves the map, so the next job of the key opens a new one).
  std::map<std::string, OpenBatch*> open_batches_;
  size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace vlmc::service

#endif  // VLMC_SERVER_WORK_QUEUE_H_
