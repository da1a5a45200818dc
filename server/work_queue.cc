#include "server/work_queue.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace vlmc::service {

using SteadyClock = std::chrono::steady_clock;

WorkQueue::WorkQueue(Options options) : options_(std::move(options)) {
  for (int i = 0; i < options_.workers; ++i) {
    workers_.emplace_back([this] { WorkerLoop(); });
  }
}

WorkQueue::~WorkQueue() { Shutdown(); }

absl::Status WorkQueue::Submit(Job job) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (stopping_) {
    return absl::UnavailableError("the server is shutting down");
  }
  if (job.run_batch) {
    auto open = open_batches_.find(job.batch_key);
    if (open != open_batches_.end()) {
      OpenBatch& batch = *open->second;
      batch.jobs.push_back(std::move(job));
      batch.joined.push_back(SteadyClock::now());
      if (static_cast<int>(batch.jobs.size()) >= options_.max_batch) {
        open_batches_.erase(open);
      }
      ++running_;
      NotifyLocked();
      batch.grown.notify_one();
      return absl::OkStatus();
    }
  }
  if (waiting_.size() >= options_.capacity) {
    return absl::ResourceExhaustedError(
        absl::StrCat("the work queue is full (", options_.capacity,
                     " requests waiting); retry later"));
  }
  waiting_.push_back(std::move(job));
  NotifyLocked();
  wake_.notify_one();
  return absl::OkStatus();
}

void WorkQueue::Shutdown() {
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    workers.swap(workers_);
    for (auto& [key, batch] : open_batches_) batch->grown.notify_one();
  }
  wake_.notify_all();
  for (std::thread& worker : workers) worker.join();
}

size_t WorkQueue::queue_depth() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return waiting_.size();
}

size_t WorkQueue::running() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return running_;
}

void WorkQueue::WorkerLoop() {
  while (true) {
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
    // Drain: a stopping queue still runs what it accepted.
    if (waiting_.empty()) return;
    if (waiting_.front().run_batch) {
      OpenBatch batch;
      CollectBatchLocked(lock, batch);
      lock.unlock();
      RunBatch(batch);
    } else {
      std::vector<Job> group = TakeGroupLocked();
      lock.unlock();
      RunGroup(group);
    }
  }
}

std::vector<WorkQueue::Job> WorkQueue::TakeGroupLocked() {
  std::vector<Job> group;
  group.push_back(std::move(waiting_.front()));
  waiting_.pop_front();
  for (auto it = waiting_.begin();
       it != waiting_.end() &&
       static_cast<int>(group.size()) < options_.max_batch;) {
    if (it->batch_key == group.front().batch_key) {
      group.push_back(std::move(*it));
      it = waiting_.erase(it);
    } else {
      ++it;
    }
  }
  running_ += group.size();
  NotifyLocked();
  return group;
}

void WorkQueue::CollectBatchLocked(std::unique_lock<std::mutex>& lock,
                                   OpenBatch& batch) {
  const SteadyClock::time_point opened = SteadyClock::now();
  const std::string key = waiting_.front().batch_key;
  auto full = [&] {
    return static_cast<int>(batch.jobs.size()) >= options_.max_batch;
  };
  for (auto it = waiting_.begin(); it != waiting_.end() && !full();) {
    if (it->batch_key == key) {
      batch.jobs.push_back(std::move(*it));
      batch.joined.push_back(opened);
      it = waiting_.erase(it);
    } else {
      ++it;
    }
  }
  running_ += batch.jobs.size();
  NotifyLocked();
  if (full() || stopping_ || options_.batch_window.count() == 0) return;
  open_batches_[key] = &batch;
  batch.grown.wait_until(lock, opened + options_.batch_window,
                         [&] { return stopping_ || full(); });
  // Submit already removed it if it filled up.
  auto open = open_batches_.find(key);
  if (open != open_batches_.end() && open->second == &batch) {
    open_batches_.erase(open);
  }
}

void WorkQueue::RunGroup(std::vector<Job>& group) {
  for (Job& job : group) {
    if (!SkipIfDead(job)) job.run();
    std::lock_guard<std::mutex> lock(mutex_);
    FinishedLocked(1);
  }
}

void WorkQueue::RunBatch(OpenBatch& batch) {
  const SteadyClock::time_point start = SteadyClock::now();
  std::vector<Job> live;
  BatchReport report;
  for (size_t i = 0; i < batch.jobs.size(); ++i) {
    if (SkipIfDead(batch.jobs[i])) continue;
    live.push_back(std::move(batch.jobs[i]));
    report.window_wait_seconds.push_back(
        std::chrono::duration<double>(start - batch.joined[i]).count());
  }
  if (!live.empty()) {
    report.size = live.size();
    if (options_.on_batch) options_.on_batch(report);
    // A copy: run_batch may move from the jobs it is given.
    const std::function<void(std::vector<Job>&)> run_batch =
        live.front().run_batch;
    run_batch(live);
  }
  std::lock_guard<std::mutex> lock(mutex_);
  FinishedLocked(batch.jobs.size());
}

bool WorkQueue::SkipIfDead(Job& job) {
  if (Clock::now() >= job.deadline) {
    job.skip(absl::DeadlineExceededError(
        "the deadline passed while the request waited in the queue"));
    return true;
  }
  if (job.is_cancelled && job.is_cancelled()) {
    job.skip(absl::CancelledError(
        "the call was cancelled while it waited in the queue"));
    return true;
  }
  return false;
}

void WorkQueue::FinishedLocked(size_t jobs) {
  running_ -= jobs;
  NotifyLocked();
}

void WorkQueue::NotifyLocked() {
  if (options_.on_change) options_.on_change(waiting_.size(), running_);
}

}  // namespace vlmc::service
