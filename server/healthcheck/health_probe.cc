#include "server/healthcheck/health_probe.h"

#include <chrono>
#include <memory>

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "proto/rpc/grpc_status.h"

namespace vlmc::healthcheck {

using grpc::health::v1::HealthCheckResponse;

const char* ServingStateName(ServingState state) {
  switch (state) {
    case ServingState::kServing:
      return "SERVING";
    case ServingState::kNotServing:
      return "NOT_SERVING";
    case ServingState::kServiceUnknown:
      return "SERVICE_UNKNOWN";
    case ServingState::kUnknown:
      break;
  }
  return "UNKNOWN";
}

absl::StatusOr<ServingState> CheckHealth(const std::string& address,
                                         const std::string& service,
                                         absl::Duration timeout) {
  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       absl::ToChronoMilliseconds(timeout));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  HealthCheckResponse response;
  const grpc::Status status = stub->Check(&context, request, &response);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
    return ServingState::kServiceUnknown;
  }
  if (!status.ok()) return rpc::FromGrpcStatus(status);
  switch (response.status()) {
    case HealthCheckResponse::SERVING:
      return ServingState::kServing;
    case HealthCheckResponse::NOT_SERVING:
      return ServingState::kNotServing;
    case HealthCheckResponse::SERVICE_UNKNOWN:
      return ServingState::kServiceUnknown;
    default:
      return ServingState::kUnknown;
  }
}

}  // namespace vlmc::healthcheck
