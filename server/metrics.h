#ifndef VLMC_SERVER_METRICS_H_
#define VLMC_SERVER_METRICS_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "grpcpp/support/status_code_enum.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace vlmc::service {

// The server's Prometheus metrics (all prefixed vlmc_). Thread-safe.
class Metrics {
 public:
  Metrics();

  // One finished RPC: counts it by method and status code, observes its
  // latency, adds its request/response payload bytes.
  void RecordRequest(const std::string& method, grpc::StatusCode code,
                     double seconds, uint64_t received_bytes,
                     uint64_t sent_bytes);
  // Bits per pixel of a stream Encode or EncodeForTask produced.
  void RecordEncodedBpp(double bpp);
  // One batch run by the batched path (Decode): its size, and how long each
  // of its calls waited in the batch window.
  void RecordBatch(size_t size, const std::vector<double>& window_wait_seconds);
  void SetQueueDepth(size_t depth);
  // The queue's limit (--queue-capacity), so alerts can compare the depth
  // with it instead of assuming the default.
  void SetQueueCapacity(size_t capacity);
  // +1 when an RPC arrives, -1 when it finishes.
  void AddInFlight(int delta);
  // vlmc_model_info{model_id, version, weights_sha256_prefix, default} = 1.
  void AddModelInfo(const std::string& model_id, int version,
                    const std::string& weights_sha256_prefix, bool is_default);

  // RPCs finished so far (for the shutdown summary).
  uint64_t finished_requests() const { return finished_requests_.load(); }

  // The registry, for an exposer or a test that reads it back.
  std::shared_ptr<prometheus::Registry> registry() const { return registry_; }

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& duration_;
  prometheus::Family<prometheus::Counter>& received_bytes_;
  prometheus::Family<prometheus::Counter>& sent_bytes_;
  prometheus::Histogram& encoded_bpp_;
  prometheus::Histogram& batch_size_;
  prometheus::Histogram& batch_window_wait_;
  prometheus::Gauge& queue_depth_;
  prometheus::Gauge& queue_capacity_;
  prometheus::Gauge& in_flight_;
  prometheus::Family<prometheus::Gauge>& model_info_;
  std::atomic<uint64_t> finished_requests_{0};
};

}  // namespace vlmc::service

#endif  // VLMC_SERVER_METRICS_H_
