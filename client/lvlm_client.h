#ifndef VLMC_CLIENT_LVLM_CLIENT_H_
#define VLMC_CLIENT_LVLM_CLIENT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "client/client_options.h"
#include "grpcpp/channel.h"
#include "vlmc/v1/lvlm.grpc.pb.h"

namespace vlmc {

// Client of an LvlmService (proto/vlmc/v1/lvlm.proto), with the deadline and
// UNAVAILABLE-only retries of ClientOptions. Infer is unary: a request larger
// than the server's receive limit fails with RESOURCE_EXHAUSTED (the
// reference server, vlmc-lvlm-ref, accepts 256 MiB by default).
// Thread-safe.
class LvlmClient {
 public:
  // Connects lazily. INVALID_ARGUMENT for an empty target, bad options or a
  // TLS file that cannot be used.
  static absl::StatusOr<std::unique_ptr<LvlmClient>> Create(
      const std::string& target, const ClientOptions& options = {});

  // Errors keep the server's code and message, prefixed "Infer at <target>".
  absl::StatusOr<v1::InferResponse> Infer(const v1::InferRequest& request,
                                          const CallOptions& call = {});

 private:
  LvlmClient(std::string target, const ClientOptions& options,
             std::shared_ptr<grpc::Channel> channel);

  std::string target_;
  ClientOptions options_;
  std::unique_ptr<v1::LvlmService::Stub> stub_;
};

}  // namespace vlmc

#endif  // VLMC_CLIENT_LVLM_CLIENT_H_
