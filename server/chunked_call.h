#ifndef VLMC_SERVER_CHUNKED_CALL_H_
#define VLMC_SERVER_CHUNKED_CALL_H_

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "proto/rpc/grpc_status.h"
#include "server/call_recorder.h"
#include "server/call_support.h"
#include "server/handlers/chunking.h"
#include "server/service_context.h"

namespace vlmc::service {

// One EncodeStream / DecodeStream call: reads the request chunks until the
// client half-closes, runs `handler` on a worker like the unary call, then
// writes the response back in chunks. Deletes itself when gRPC is done.
template <typename Handler>
class ChunkedCall final
    : public grpc::ServerBidiReactor<typename Handler::Request,
                                     typename Handler::Response> {
 public:
  using Request = typename Handler::Request;
  using Response = typename Handler::Response;

  ChunkedCall(std::string method, const Handler& handler,
              const ServiceContext& context, size_t max_payload_bytes,
              grpc::CallbackServerContext* call)
      : method_(std::move(method)),
        handler_(handler),
        context_(context),
        max_payload_bytes_(max_payload_bytes),
        call_(call),
        recorder_(*context.metrics, method_) {
    if (absl::Status allowed = AuthorizeCall(context_, *call_, method_);
        !allowed.ok()) {
      Complete(allowed);  // before reading a single chunk
      return;
    }
    this->StartRead(&incoming_);
  }

  void OnReadDone(bool ok) override {
    if (ok) {
      recorder_.AddReceivedBytes(incoming_.ByteSizeLong());
      absl::Status appended = AppendChunk(std::move(incoming_), !received_any_,
                                          max_payload_bytes_, &joined_);
      received_any_ = true;
      incoming_.Clear();
      if (!appended.ok()) {
        Complete(appended);
        return;
      }
      this->StartRead(&incoming_);
      return;
    }
    // The client half-closed (the request is complete) or the call broke.
    if (call_->IsCancelled()) {
      Complete(absl::CancelledError("the call was cancelled"));
    } else if (!received_any_) {
      Complete(absl::InvalidArgumentError("the stream carried no request"));
    } else {
      Submit();
    }
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Complete(absl::CancelledError("the client stopped receiving"));
      return;
    }
    if (++next_write_ < outgoing_.size()) {
      this->StartWrite(&outgoing_[next_write_]);
    } else {
      Complete(absl::OkStatus());
    }
  }

  void OnDone() override { delete this; }

 private:
  void Submit() {
    absl::StatusOr<typename Handler::Admitted> admitted =
        handler_.Admit(joined_);
    if (!admitted.ok()) {
      Complete(admitted.status());
      return;
    }
    WorkQueue::Job job;
    job.batch_key = BatchKey(method_, *admitted->model);
    job.deadline = call_->deadline();
    job.is_cancelled = [this] { return call_->IsCancelled(); };
    job.run = [this, admitted = *std::move(admitted)] {
      Response response;
      absl::Status status = RunGuarded(call_, [&] {
        return handler_.Run(joined_, admitted, StopCheckFor(call_), &response);
      });
      if (!status.ok()) {
        Complete(status);
        return;
      }
      outgoing_ = SplitResponse(std::move(response), kResponseChunkBytes);
      for (const Response& message : outgoing_) {
        recorder_.AddSentBytes(message.ByteSizeLong());
      }
      this->StartWrite(&outgoing_[0]);
    };
    job.skip = [this](const absl::Status& why) { Complete(why); };
    if (absl::Status queued = context_.queue->Submit(std::move(job));
        !queued.ok()) {
      Complete(queued);
    }
  }

  void Complete(const absl::Status& status) {
    recorder_.Finish(status);
    this->Finish(rpc::ToGrpcStatus(status));
  }

  const std::string method_;
  const Handler& handler_;
  const ServiceContext& context_;
  const size_t max_payload_bytes_;
  grpc::CallbackServerContext* const call_;
  CallRecorder recorder_;
  Request incoming_;
  Request joined_;
  bool received_any_ = false;
  std::vector<Response> outgoing_;
  size_t next_write_ = 0;
};

}  // namespace vlmc::service

#endif  // VLMC_SERVER_CHUNKED_CALL_H_
