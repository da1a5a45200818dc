#ifndef VLMC_SERVER_CALL_RECORDER_H_
#define VLMC_SERVER_CALL_RECORDER_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "server/metrics.h"

namespace vlmc::service {

// The metrics of one RPC: counts it in flight from construction to Finish,
// then records its code, latency and payload bytes.
class CallRecorder {
 public:
  CallRecorder(Metrics& metrics, std::string method);
  ~CallRecorder();

  CallRecorder(const CallRecorder&) = delete;
  CallRecorder& operator=(const CallRecorder&) = delete;

  void AddReceivedBytes(uint64_t bytes) { received_bytes_ += bytes; }
  void AddSentBytes(uint64_t bytes) { sent_bytes_ += bytes; }
  // Records the call; later calls do nothing.
  void Finish(const absl::Status& status);

 private:
  Metrics& metrics_;
  const std::string method_;
  const absl::Time start_;
  uint64_t received_bytes_ = 0;
  uint64_t sent_bytes_ = 0;
  bool finished_ = false;
};

}  // namespace vlmc::service

#endif  // VLMC_SERVER_CALL_RECORDER_H_
