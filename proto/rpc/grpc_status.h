#ifndef VLMC_PROTO_RPC_GRPC_STATUS_H_
#define VLMC_PROTO_RPC_GRPC_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace vlmc::rpc {

// The one place where absl::Status and grpc::Status meet. The canonical codes
// are numbered alike in both, so the code and message carry over unchanged.
grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

// "RESOURCE_EXHAUSTED" for grpc::StatusCode::RESOURCE_EXHAUSTED, and so on;
// "CODE_<n>" for a number outside the canonical codes.
std::string GrpcCodeName(grpc::StatusCode code);

}  // namespace vlmc::rpc

#endif  // VLMC_PROTO_RPC_GRPC_STATUS_H_
