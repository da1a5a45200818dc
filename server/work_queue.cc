#include "server/work_queue.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace vlmc::service {

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
    std::vector<Job> batch;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
      // Drain: a stopping queue still runs what it accepted.
      if (waiting_.empty()) return;
      batch = TakeBatchLocked();
    }
    for (Job& job : batch) {
      if (Clock::now() >= job.deadline) {
        job.skip(absl::DeadlineExceededError(
            "the deadline passed while the request waited in the queue"));
      } else if (job.is_cancelled && job.is_cancelled()) {
        job.skip(absl::CancelledError(
            "the call was cancelled while it waited in the queue"));
      } else {
        job.run();
      }
      std::lock_guard<std::mutex> lock(mutex_);
      --running_;
      NotifyLocked();
    }
  }
}

std::vector<WorkQueue::Job> WorkQueue::TakeBatchLocked() {
  std::vector<Job> batch;
  batch.push_back(std::move(waiting_.front()));
  waiting_.pop_front();
  for (auto it = waiting_.begin();
       it != waiting_.end() &&
       static_cast<int>(batch.size()) < options_.max_batch;) {
    if (it->batch_key == batch.front().batch_key) {
      batch.push_back(std::move(*it));
      it = waiting_.erase(it);
    } else {
      ++it;
    }
  }
  running_ += batch.size();
  NotifyLocked();
  return batch;
}

void WorkQueue::NotifyLocked() {
  if (options_.on_change) options_.on_change(waiting_.size(), running_);
}

}  // namespace vlmc::service
