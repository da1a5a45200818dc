#include "client/lvlm_client.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "client/rpc_call.h"

namespace vlmc {

absl::StatusOr<std::unique_ptr<LvlmClient>> LvlmClient::Create(
    const std::string& target, const ClientOptions& options) {
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
      OpenClientChannel(target, "LvlmService", options);
  if (!channel.ok()) return channel.status();
  return std::unique_ptr<LvlmClient>(
      new LvlmClient(target, options, *std::move(channel)));
}

LvlmClient::LvlmClient(std::string target, const ClientOptions& options,
                       std::shared_ptr<grpc::Channel> channel)
    : target_(std::move(target)),
      options_(options),
      stub_(v1::LvlmService::NewStub(std::move(channel))) {}

absl::StatusOr<v1::InferResponse> LvlmClient::Infer(
    const v1::InferRequest& request, const CallOptions& call) {
  v1::InferResponse response;
  absl::Status status = CallWithRetry(
      absl::StrCat("Infer at ", target_), options_,
      CallDeadline(options_, call), [&](grpc::ClientContext& context) {
        return stub_->Infer(&context, request, &response);
      });
  if (!status.ok()) return status;
  return response;
}

}  // namespace vlmc
