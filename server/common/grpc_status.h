#ifndef VLMC_SERVER_COMMON_GRPC_STATUS_H_
#define VLMC_SERVER_COMMON_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace vlmc::service {

// The one place where absl::Status and grpc::Status meet. The canonical codes
// are numbered alike in both, so the code and message carry over unchanged.
grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace vlmc::service

#endif  // VLMC_SERVER_COMMON_GRPC_STATUS_H_
