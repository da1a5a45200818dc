#ifndef VLMC_SERVER_CODEC_SERVICE_H_
#define VLMC_SERVER_CODEC_SERVICE_H_

#include <cstddef>

#include "server/handlers/decode_handler.h"
#include "server/handlers/encode_for_task_handler.h"
#include "server/handlers/encode_handler.h"
#include "server/handlers/info_handler.h"
#include "server/service_context.h"
#include "vlmc/v1/codec.grpc.pb.h"

namespace vlmc::service {

// vlmc.v1.VlmCodec on the gRPC callback API: each RPC goes to its handler;
// the work runs on the context's WorkQueue.
class CodecService final : public v1::VlmCodec::CallbackService {
 public:
  explicit CodecService(const ServiceContext& context);

  grpc::ServerUnaryReactor* Encode(grpc::CallbackServerContext* call,
                                   const v1::EncodeRequest* request,
                                   v1::EncodeResponse* response) override;
  grpc::ServerUnaryReactor* Decode(grpc::CallbackServerContext* call,
                                   const v1::DecodeRequest* request,
                                   v1::DecodeResponse* response) override;
  grpc::ServerUnaryReactor* EncodeForTask(
      grpc::CallbackServerContext* call,
      const v1::EncodeForTaskRequest* request,
      v1::EncodeForTaskResponse* response) override;
  grpc::ServerUnaryReactor* GetInfo(grpc::CallbackServerContext* call,
                                    const v1::GetInfoRequest* request,
                                    v1::GetInfoResponse* response) override;
  grpc::ServerBidiReactor<v1::EncodeRequest, v1::EncodeResponse>* EncodeStream(
      grpc::CallbackServerContext* call) override;
  grpc::ServerBidiReactor<v1::DecodeRequest, v1::DecodeResponse>* DecodeStream(
      grpc::CallbackServerContext* call) override;

 private:
  const ServiceContext& context_;
  // The most a streamed request may carry: an image of the largest allowed
  // size in any PNG/JPEG layout (up to 8 bytes per pixel), or a stream.
  const size_t max_streamed_payload_bytes_;
  const EncodeHandler encode_;
  const DecodeHandler decode_;
  const EncodeForTaskHandler encode_for_task_;
  const InfoHandler info_;
};

}  // namespace vlmc::service

#endif  // VLMC_SERVER_CODEC_SERVICE_H_
