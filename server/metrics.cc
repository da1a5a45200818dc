#include "server/metrics.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "proto/rpc/grpc_status.h"

namespace vlmc::service {
namespace {

// Seconds: 1 ms to about 1 min, doubling.
prometheus::Histogram::BucketBoundaries LatencyBuckets() {
  prometheus::Histogram::BucketBoundaries buckets;
  for (double b = 0.001; b < 70; b *= 2) buckets.push_back(b);
  return buckets;
}

// The codec spans roughly 0.1 to 2 bpp; the tail catches tiny images.
prometheus::Histogram::BucketBoundaries BppBuckets() {
  return {0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0, 1.5, 2.0, 4.0};
}

// Calls per batch, up to the largest --max-batch.
prometheus::Histogram::BucketBoundaries BatchSizeBuckets() {
  return {1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64};
}

// Seconds: 50 us to about 1.6 s (the longest window is 1 s), doubling.
prometheus::Histogram::BucketBoundaries WindowWaitBuckets() {
  prometheus::Histogram::BucketBoundaries buckets;
  for (double b = 0.00005; b < 2; b *= 2) buckets.push_back(b);
  return buckets;
}

}  // namespace

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      requests_(prometheus::BuildCounter()
                    .Name("vlmc_requests_total")
                    .Help("RPCs finished, by method and gRPC status code")
                    .Register(*registry_)),
      duration_(prometheus::BuildHistogram()
                    .Name("vlmc_request_duration_seconds")
                    .Help("RPC latency from arrival to finish, queueing "
                          "included")
                    .Register(*registry_)),
      received_bytes_(prometheus::BuildCounter()
                          .Name("vlmc_received_bytes_total")
                          .Help("Request payload bytes (image or stream)")
                          .Register(*registry_)),
      sent_bytes_(prometheus::BuildCounter()
                      .Name("vlmc_sent_bytes_total")
                      .Help("Response payload bytes (stream or image)")
                      .Register(*registry_)),
      encoded_bpp_(prometheus::BuildHistogram()
                       .Name("vlmc_encoded_bpp")
                       .Help("Bits per pixel of the streams produced")
                       .Register(*registry_)
                       .Add({}, BppBuckets())),
      batch_size_(prometheus::BuildHistogram()
                      .Name("vlmc_batch_size")
                      .Help("Decode calls a worker took together as one "
                            "batch")
                      .Register(*registry_)
                      .Add({}, BatchSizeBuckets())),
      batch_window_wait_(
          prometheus::BuildHistogram()
              .Name("vlmc_batch_window_wait_seconds")
              .Help("Time a batched call waited in the batch window for "
                    "others to join (the latency cost of batching)")
              .Register(*registry_)
              .Add({}, WindowWaitBuckets())),
      queue_depth_(prometheus::BuildGauge()
                       .Name("vlmc_queue_depth")
                       .Help("Requests waiting for an inference worker")
                       .Register(*registry_)
                       .Add({})),
      queue_capacity_(prometheus::BuildGauge()
                          .Name("vlmc_queue_capacity")
                          .Help("Requests the queue holds before refusing "
                                "with RESOURCE_EXHAUSTED")
                          .Register(*registry_)
                          .Add({})),
      in_flight_(prometheus::BuildGauge()
                     .Name("vlmc_in_flight_requests")
                     .Help("RPCs received and not yet finished")
                     .Register(*registry_)
                     .Add({})),
      model_info_(prometheus::BuildGauge()
                      .Name("vlmc_model_info")
                      .Help("Models this server holds (value 1)")
                      .Register(*registry_)) {}

void Metrics::RecordRequest(const std::string& method, grpc::StatusCode code,
                            double seconds, uint64_t received_bytes,
                            uint64_t sent_bytes) {
  requests_.Add({{"method", method}, {"code", rpc::GrpcCodeName(code)}})
      .Increment();
  duration_.Add({{"method", method}}, LatencyBuckets()).Observe(seconds);
  received_bytes_.Add({{"method", method}})
      .Increment(static_cast<double>(received_bytes));
  sent_bytes_.Add({{"method", method}})
      .Increment(static_cast<double>(sent_bytes));
  ++finished_requests_;
}

void Metrics::RecordEncodedBpp(double bpp) { encoded_bpp_.Observe(bpp); }

void Metrics::RecordBatch(size_t size,
                          const std::vector<double>& window_wait_seconds) {
  batch_size_.Observe(static_cast<double>(size));
  for (double seconds : window_wait_seconds) {
    batch_window_wait_.Observe(seconds);
  }
}

void Metrics::SetQueueDepth(size_t depth) {
  queue_depth_.Set(static_cast<double>(depth));
}

void Metrics::SetQueueCapacity(size_t capacity) {
  queue_capacity_.Set(static_cast<double>(capacity));
}

void Metrics::AddInFlight(int delta) { in_flight_.Increment(delta); }

void Metrics::AddModelInfo(const std::string& model_id, int version,
                           const std::string& weights_sha256_prefix,
                           bool is_default) {
  model_info_
      .Add({{"model_id", model_id},
            {"version", std::to_string(version)},
            {"weights_sha256_prefix", weights_sha256_prefix},
            {"default", is_default ? "true" : "false"}})
      .Set(1);
}

}  // namespace vlmc::service
