#ifndef VLMC_SERVER_UNARY_CALL_H_
#define VLMC_SERVER_UNARY_CALL_H_

#include <any>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "proto/rpc/grpc_status.h"
#include "server/call_recorder.h"
#include "server/call_support.h"
#include "server/service_context.h"

namespace vlmc::service {

// True for handlers whose calls the work queue may batch: they define
// BatchedCall (the call as a batch member, with its own Admitted
// shape_key) and RunBatch (see DecodeHandler).
template <typename Handler, typename = void>
inline constexpr bool kRunsBatches = false;
template <typename Handler>
inline constexpr bool
    kRunsBatches<Handler, std::void_t<typename Handler::BatchedCall>> = true;

// Serves one unary call with `handler` (Encode, Decode, EncodeForTask):
// AuthorizeCall and Admit on the gRPC thread, Run (or RunBatch, with other
// calls of the same key, for a batching handler) on a worker, and the reactor
// finished from whichever thread ends the call. Every path finishes it exactly
// once.
template <typename Handler>
grpc::ServerUnaryReactor* StartUnaryCall(
    const std::string& method, const Handler& handler,
    const ServiceContext& context, grpc::CallbackServerContext* call,
    const typename Handler::Request* request,
    typename Handler::Response* response) {
  grpc::ServerUnaryReactor* reactor = call->DefaultReactor();
  auto recorder = std::make_shared<CallRecorder>(*context.metrics, method);
  recorder->AddReceivedBytes(request->ByteSizeLong());
  const int64_t max_bytes = context.limits.max_message_bytes;
  auto finish = [reactor, recorder, response, max_bytes](absl::Status status) {
    const size_t response_bytes = status.ok() ? response->ByteSizeLong() : 0;
    if (static_cast<int64_t>(response_bytes) > max_bytes) {
      status = absl::InvalidArgumentError(
          absl::StrCat("the response would be ", response_bytes,
                       " bytes, over the unary limit of ", max_bytes,
                       "; use EncodeStream / DecodeStream"));
    }
    if (status.ok()) recorder->AddSentBytes(response_bytes);
    recorder->Finish(status);
    reactor->Finish(rpc::ToGrpcStatus(status));
  };

  if (absl::Status allowed = AuthorizeCall(context, *call, method);
      !allowed.ok()) {
    finish(allowed);
    return reactor;
  }
  absl::StatusOr<typename Handler::Admitted> admitted = handler.Admit(*request);
  if (!admitted.ok()) {
    finish(admitted.status());
    return reactor;
  }
  WorkQueue::Job job;
  job.batch_key = BatchKey(method, *admitted->model);
  job.deadline = call->deadline();
  job.is_cancelled = [call] { return call->IsCancelled(); };
  if constexpr (kRunsBatches<Handler>) {
    job.batch_key = absl::StrCat(job.batch_key, "/", admitted->shape_key);
    job.payload = typename Handler::BatchedCall{request, *std::move(admitted),
                                                response, finish};
    job.run_batch = [&handler](std::vector<WorkQueue::Job>& jobs) {
      std::vector<typename Handler::BatchedCall> calls;
      for (WorkQueue::Job& member : jobs) {
        calls.push_back(std::any_cast<typename Handler::BatchedCall>(
            std::move(member.payload)));
      }
      handler.RunBatch(calls);
    };
  } else {
    job.run = [&handler, call, request, response, finish,
               admitted = *std::move(admitted)] {
      finish(RunGuarded(call, [&] {
        return handler.Run(*request, admitted, StopCheckFor(call), response);
      }));
    };
  }
  job.skip = finish;
  if (absl::Status queued = context.queue->Submit(std::move(job));
      !queued.ok()) {
    finish(queued);
  }
  return reactor;
}

}  // namespace vlmc::service

#endif  // VLMC_SERVER_UNARY_CALL_H_
