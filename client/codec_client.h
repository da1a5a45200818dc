#ifndef VLMC_CLIENT_CODEC_CLIENT_H_
#define VLMC_CLIENT_CODEC_CLIENT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "client/client_options.h"
#include "grpcpp/channel.h"
#include "vlmc/v1/codec.grpc.pb.h"

namespace vlmc {

// Client of a VlmCodec server (proto/vlmc/v1/codec.proto). Requests and
// responses are the proto messages; leave their `chunk` fields empty: the
// client switches to the chunked EncodeStream / DecodeStream RPCs by itself
// when a request, or the response a Decode is expected to return (from the
// stream's header), is over ClientOptions::max_unary_bytes, and returns the
// reassembled response with `stream` / `data` filled as a unary call would.
// EncodeForTask has no chunked variant and is always unary.
//
// Errors keep the server's gRPC code and message (see codec.proto), prefixed
// with the RPC name. Thread-safe: one client may serve many threads.
class CodecClient {
 public:
  // Connects lazily: an unreachable server (or a failed TLS handshake)
  // shows up as UNAVAILABLE on the first call. INVALID_ARGUMENT for an empty
  // target, bad options or a TLS file that cannot be used. A server that
  // wants a bearer token refuses calls without the right one with
  // UNAUTHENTICATED, and methods the token may not call with
  // PERMISSION_DENIED.
  static absl::StatusOr<std::unique_ptr<CodecClient>> Create(
      const std::string& target, const ClientOptions& options = {});

  absl::StatusOr<v1::EncodeResponse> Encode(const v1::EncodeRequest& request,
                                            const CallOptions& call = {});
  absl::StatusOr<v1::DecodeResponse> Decode(const v1::DecodeRequest& request,
                                            const CallOptions& call = {});
  absl::StatusOr<v1::EncodeForTaskResponse> EncodeForTask(
      const v1::EncodeForTaskRequest& request, const CallOptions& call = {});
  absl::StatusOr<v1::GetInfoResponse> GetInfo(const CallOptions& call = {});

  const std::string& target() const { return target_; }

 private:
  CodecClient(std::string target, const ClientOptions& options,
              std::shared_ptr<grpc::Channel> channel);

  absl::StatusOr<v1::EncodeResponse> EncodeChunked(
      const v1::EncodeRequest& request, absl::Time deadline);
  absl::StatusOr<v1::DecodeResponse> DecodeChunked(
      const v1::DecodeRequest& request, absl::Time deadline);
  // "<rpc> <target>", the prefix of every error message.
  std::string What(absl::string_view rpc) const;

  std::string target_;
  ClientOptions options_;
  std::unique_ptr<v1::VlmCodec::Stub> stub_;
};

}  // namespace vlmc

#endif  // VLMC_CLIENT_CODEC_CLIENT_H_
