#include "server/service_test_util.h"

#include <gtest/gtest.h>

#include <future>
#include <vector>

#include "grpcpp/client_context.h"
#include "grpcpp/completion_queue.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "models/codec/test_images.h"
#include "models/util/crc32.h"
#include "proto/rpc/grpc_status.h"

namespace vlmc::service::testing {

WorkerBlocker::WorkerBlocker(WorkQueue& queue) {
  WorkQueue::Job job;
  job.run = [this] {
    started_.set_value();
    release_future_.wait();
  };
  job.skip = [](const absl::Status&) {};
  EXPECT_TRUE(queue.Submit(std::move(job)).ok());
  started_.get_future().wait();
}

void WorkerBlocker::Release() {
  if (!released_) release_.set_value();
  released_ = true;
}
namespace {

grpc::ByteBuffer ToBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string FromBuffer(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  for (const grpc::Slice& slice : slices) {
    out.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return out;
}

std::string BigEndian32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
          static_cast<char>(v >> 8), static_cast<char>(v)};
}

std::string PngChunk(const std::string& type, const std::string& data) {
  return BigEndian32(data.size()) + type + data +
         BigEndian32(util::Crc32(type + data));
}

}  // namespace

ServerOptions SmallServerOptions() {
  // --extra-models vlmc-hp: only vlmc-hp's versions, whose count GetInfo's
  // tests check.
  absl::StatusOr<ServerOptions> options = ServerOptions::Create(
      {"--listen",
       "127.0.0.1:0",
       "--metrics-listen",
       "127.0.0.1:0",
       "--model-root",
       std::string(VLMC_SOURCE_DIR) + "/models/zoo",
       "--model",
       "vlmc-hp",
       "--model-version",
       "0",
       "--extra-models",
       "vlmc-hp",
       "--workers",
       "1",
       "--torch-threads",
       "1",
       "--queue-capacity",
       "2",
       "--max-batch",
       "2",
       "--device",
       "cpu",
       "--semantic-model-dir",
       std::string(VLMC_SOURCE_DIR) + "/no-semantic-models-here",
       "--max-message-bytes",
       "65536",
       "--max-image-pixels",
       "20000",
       "--shutdown-grace-seconds",
       "5"},
      [](const std::string&) { return std::nullopt; });
  return *options;  // the flags above are valid
}

image::Image TestImage(int size) {
  // From the middle, where there is structure to code.
  return codec::test::Kodim20Crop(384 - size / 2, 256 - size / 2, size, size);
}

std::string PngDeclaring(uint32_t width, uint32_t height) {
  const std::string ihdr = BigEndian32(width) + BigEndian32(height) +
                           std::string("\x08\x02\x00\x00\x00", 5);
  return std::string("\x89PNG\r\n\x1a\n", 8) + PngChunk("IHDR", ihdr) +
         PngChunk("IDAT", std::string(16, '\0')) + PngChunk("IEND", "");
}

absl::StatusOr<std::string> RawUnaryCall(grpc::Channel& channel,
                                         const std::string& method,
                                         const std::string& request) {
  grpc::GenericStub stub(
      std::shared_ptr<grpc::Channel>(&channel, [](grpc::Channel*) {}));
  grpc::ClientContext context;
  const grpc::ByteBuffer request_buffer = ToBuffer(request);
  grpc::ByteBuffer response_buffer;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &request_buffer,
                 &response_buffer,
                 [&done](grpc::Status status) { done.set_value(status); });
  const grpc::Status status = done.get_future().get();
  if (!status.ok()) return rpc::FromGrpcStatus(status);
  return FromBuffer(response_buffer);
}

double RequestCount(const prometheus::Registry& registry,
                    const std::string& method, const std::string& code) {
  for (const prometheus::MetricFamily& family : registry.Collect()) {
    if (family.name != "vlmc_requests_total") continue;
    for (const prometheus::ClientMetric& metric : family.metric) {
      std::string m, c;
      for (const prometheus::ClientMetric::Label& label : metric.label) {
        if (label.name == "method") m = label.value;
        if (label.name == "code") c = label.value;
      }
      if (m == method && c == code) return metric.counter.value;
    }
  }
  return 0;
}

absl::StatusOr<std::string> ReflectionListServices(grpc::Channel& channel) {
  grpc::GenericStub stub(
      std::shared_ptr<grpc::Channel>(&channel, [](grpc::Channel*) {}));
  grpc::CompletionQueue queue;
  grpc::ClientContext context;
  auto call = stub.PrepareCall(
      &context,
      "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &queue);
  // ServerReflectionRequest{list_services: "*"} (field 7, a string).
  const grpc::ByteBuffer request = ToBuffer(std::string("\x3a\x01*", 3));
  grpc::ByteBuffer response;
  grpc::Status status;
  void* tag = nullptr;
  bool ok = false;
  int step = 0;
  call->StartCall(&step);
  bool all_ok = queue.Next(&tag, &ok) && ok;
  call->Write(request, &step);
  all_ok = all_ok && queue.Next(&tag, &ok) && ok;
  call->WritesDone(&step);
  all_ok = all_ok && queue.Next(&tag, &ok) && ok;
  call->Read(&response, &step);
  all_ok = all_ok && queue.Next(&tag, &ok) && ok;
  call->Finish(&status, &step);
  queue.Next(&tag, &ok);
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }
  if (!status.ok()) return rpc::FromGrpcStatus(status);
  if (!all_ok) return absl::UnknownError("reflection call failed");
  return FromBuffer(response);
}

}  // namespace vlmc::service::testing
