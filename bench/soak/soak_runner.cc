#include "bench/soak/soak_runner.h"

#include <chrono>
#include <functional>
#include <thread>

#include "bench/soak/answer_check.h"
#include "grpcpp/grpcpp.h"
#include "proto/rpc/channel_arguments.h"

namespace vlmc::bench {
namespace {

using Clock = std::chrono::steady_clock;

// Runs a call through its own completion queue (an async call started by
// `start`) and waits for it; with `cancel_after_ms` >= 0 the client cancels
// it after that long. (Not the callback API: a channel that made callback
// calls sometimes took ~10 s to destroy, which stalled the workers.)
template <typename Response>
grpc::Status Await(
    grpc::ClientContext& context, int cancel_after_ms, Response* response,
    const std::function<
        std::unique_ptr<grpc::ClientAsyncResponseReader<Response>>(
            grpc::CompletionQueue*)>& start) {
  grpc::CompletionQueue queue;
  std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> call =
      start(&queue);
  grpc::Status status;
  call->Finish(response, &status, nullptr);
  void* tag = nullptr;
  bool ok = false;
  if (cancel_after_ms < 0 ||
      queue.AsyncNext(&tag, &ok,
                      std::chrono::system_clock::now() +
                          std::chrono::milliseconds(cancel_after_ms)) ==
          grpc::CompletionQueue::TIMEOUT) {
    if (cancel_after_ms >= 0) context.TryCancel();
    queue.Next(&tag, &ok);
  }
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }
  return status;
}

int Uniform(std::mt19937& rng, int lo, int hi) {
  return std::uniform_int_distribution<int>(lo, hi)(rng);
}

}  // namespace

SoakRunner::SoakRunner(const SoakOptions& options, std::string target,
                       const std::vector<ValidCase>& valid,
                       const std::vector<RefusalCase>& corrupt,
                       const std::vector<RefusalCase>& oversized,
                       SoakTally* tally)
    : options_(options),
      target_(std::move(target)),
      valid_(valid),
      corrupt_(corrupt),
      oversized_(oversized),
      tally_(tally) {}

void SoakRunner::RunFor(double seconds, const std::atomic<bool>& abort) {
  const unsigned run = runs_.fetch_add(1);
  std::vector<std::thread> workers;
  for (int i = 0; i < options_.concurrency; ++i) {
    const unsigned seed = options_.seed * 7919u + run * 1009u + i;
    workers.emplace_back(
        [this, seed, seconds, &abort] { Worker(seed, seconds, abort); });
  }
  for (std::thread& worker : workers) worker.join();
}

void SoakRunner::Worker(unsigned seed, double seconds,
                        const std::atomic<bool>& abort) {
  std::mt19937 rng(seed);
  const Clock::time_point stop_at =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double>(seconds));
  while (Clock::now() < stop_at && !abort) {
    // A channel of its own (no subchannel shared with other channels), so
    // reconnecting really opens and closes a connection on the server.
    grpc::ChannelArguments args = rpc::ClientChannelArguments(64 << 20);
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    std::unique_ptr<v1::VlmCodec::Stub> stub =
        v1::VlmCodec::NewStub(grpc::CreateCustomChannel(
            target_, grpc::InsecureChannelCredentials(), args));
    for (int i = 0;
         i < options_.reconnect_every && Clock::now() < stop_at && !abort;
         ++i) {
      OneCall(*stub, rng);
    }
  }
}

void SoakRunner::OneCall(v1::VlmCodec::Stub& stub, std::mt19937& rng) {
  const int timeout_ms = static_cast<int>(options_.call_timeout_s * 1000);
  // Percent of calls per kind.
  const int draw = Uniform(rng, 0, 99);
  if (draw < 25) {
    ValidCall(stub, rng, SoakKind::kEncode, timeout_ms, -1);
  } else if (draw < 50) {
    ValidCall(stub, rng, SoakKind::kDecode, timeout_ms, -1);
  } else if (draw < 65) {
    RefusalCall(stub, corrupt_[Uniform(rng, 0, corrupt_.size() - 1)]);
  } else if (draw < 75) {
    ValidCall(stub, rng, SoakKind::kCancelled, timeout_ms,
              Uniform(rng, 0, options_.cancel_max_ms));
  } else if (draw < 80) {
    ValidCall(stub, rng, SoakKind::kExpiredDeadline, -1, -1);
  } else if (draw < 90) {
    ValidCall(stub, rng, SoakKind::kTinyDeadline,
              Uniform(rng, 1, options_.tiny_deadline_max_ms), -1);
  } else {
    RefusalCall(stub, oversized_[Uniform(rng, 0, oversized_.size() - 1)]);
  }
}

void SoakRunner::ValidCall(v1::VlmCodec::Stub& stub, std::mt19937& rng,
                           SoakKind kind, int timeout_ms, int cancel_after_ms) {
  const ValidCase& valid = valid_[Uniform(rng, 0, valid_.size() - 1)];
  const bool encode = kind == SoakKind::kEncode ||
                      (kind != SoakKind::kDecode && Uniform(rng, 0, 1) == 0);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(timeout_ms));
  if (encode) {
    const v1::EncodeRequest& request =
        Uniform(rng, 0, 1) == 0 ? valid.raw_request : valid.png_request;
    v1::EncodeResponse response;
    const grpc::Status status = Await<v1::EncodeResponse>(
        context, cancel_after_ms, &response, [&](grpc::CompletionQueue* queue) {
          return stub.AsyncEncode(&context, request, queue);
        });
    if (tally_->Record(kind, status) && status.ok()) {
      tally_->RecordVerified(
          kind,
          CheckEncodeAnswer(response, valid.stream, valid.width, valid.height));
    }
    return;
  }
  static constexpr v1::OutputFormat kFormats[] = {
      v1::OUTPUT_FORMAT_RAW_RGB8, v1::OUTPUT_FORMAT_PNG,
      v1::OUTPUT_FORMAT_FLOAT32_NCHW};
  v1::DecodeRequest request;
  request.set_stream(valid.stream);
  request.set_format(kFormats[Uniform(rng, 0, 2)]);
  v1::DecodeResponse response;
  const grpc::Status status = Await<v1::DecodeResponse>(
      context, cancel_after_ms, &response, [&](grpc::CompletionQueue* queue) {
        return stub.AsyncDecode(&context, request, queue);
      });
  if (tally_->Record(kind, status) && status.ok()) {
    tally_->RecordVerified(
        kind, CheckDecodeAnswer(response, request.format(), valid.pixels));
  }
}

void SoakRunner::RefusalCall(v1::VlmCodec::Stub& stub,
                             const RefusalCase& refusal) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(
                           static_cast<int>(options_.call_timeout_s * 1000)));
  grpc::Status status;
  if (refusal.is_encode) {
    v1::EncodeResponse response;
    status = stub.Encode(&context, refusal.encode_request, &response);
  } else {
    v1::DecodeResponse response;
    status = stub.Decode(&context, refusal.decode_request, &response);
  }
  tally_->Record(refusal.kind, status, refusal.name);
}

}  // namespace vlmc::bench
