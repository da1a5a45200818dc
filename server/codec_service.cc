#include "server/codec_service.h"

#include <algorithm>

#include "proto/rpc/grpc_status.h"
#include "server/call_recorder.h"
#include "server/call_support.h"
#include "server/chunked_call.h"
#include "server/unary_call.h"

namespace vlmc::service {

CodecService::CodecService(const ServiceContext& context)
    : context_(context),
      max_streamed_payload_bytes_(static_cast<size_t>(
          std::max<int64_t>(context.limits.max_message_bytes,
                            context.limits.max_image_pixels * 8 + (1 << 20)))),
      encode_(context),
      decode_(context),
      encode_for_task_(context),
      info_(context) {}

grpc::ServerUnaryReactor* CodecService::Encode(
    grpc::CallbackServerContext* call, const v1::EncodeRequest* request,
    v1::EncodeResponse* response) {
  return StartUnaryCall("Encode", encode_, context_, call, request, response);
}

grpc::ServerUnaryReactor* CodecService::Decode(
    grpc::CallbackServerContext* call, const v1::DecodeRequest* request,
    v1::DecodeResponse* response) {
  return StartUnaryCall("Decode", decode_, context_, call, request, response);
}

grpc::ServerUnaryReactor* CodecService::EncodeForTask(
    grpc::CallbackServerContext* call, const v1::EncodeForTaskRequest* request,
    v1::EncodeForTaskResponse* response) {
  return StartUnaryCall("EncodeForTask", encode_for_task_, context_, call,
                        request, response);
}

grpc::ServerUnaryReactor* CodecService::GetInfo(
    grpc::CallbackServerContext* call, const v1::GetInfoRequest* /*request*/,
    v1::GetInfoResponse* response) {
  CallRecorder recorder(*context_.metrics, "GetInfo");
  grpc::ServerUnaryReactor* reactor = call->DefaultReactor();
  if (absl::Status allowed = AuthorizeCall(context_, *call, "GetInfo");
      !allowed.ok()) {
    recorder.Finish(allowed);
    reactor->Finish(rpc::ToGrpcStatus(allowed));
    return reactor;
  }
  info_.Fill(response);
  recorder.AddSentBytes(response->ByteSizeLong());
  recorder.Finish(absl::OkStatus());
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerBidiReactor<v1::EncodeRequest, v1::EncodeResponse>*
CodecService::EncodeStream(grpc::CallbackServerContext* call) {
  return new ChunkedCall<EncodeHandler>("EncodeStream", encode_, context_,
                                        max_streamed_payload_bytes_, call);
}

grpc::ServerBidiReactor<v1::DecodeRequest, v1::DecodeResponse>*
CodecService::DecodeStream(grpc::CallbackServerContext* call) {
  return new ChunkedCall<DecodeHandler>("DecodeStream", decode_, context_,
                                        max_streamed_payload_bytes_, call);
}

}  // namespace vlmc::service
