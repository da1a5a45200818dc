#ifndef VLMC_SERVER_HEALTH_LISTENER_H_
#define VLMC_SERVER_HEALTH_LISTENER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/server.h"

namespace vlmc::service {

// A second gRPC server, always plaintext, that serves only the standard
// grpc.health.v1 service (any other method is UNIMPLEMENTED): Kubernetes
// gRPC probes cannot speak TLS, so a TLS server is probed here. Its owner
// mirrors the main server's status into it.
class HealthListener {
 public:
  // Listens on `address` (HOST:PORT, port 0 picks one); NOT_SERVING until
  // SetServing. Turns gRPC's default health service on (a process-wide
  // setting, which the main server uses too).
  static absl::StatusOr<std::unique_ptr<HealthListener>> Start(
      const std::string& address);
  // Stop() if not done yet.
  ~HealthListener();

  HealthListener(const HealthListener&) = delete;
  HealthListener& operator=(const HealthListener&) = delete;

  // The address with the port actually bound.
  const std::string& address() const { return address_; }

  // SERVING for the whole server ("") and each of `services`.
  void SetServing(const std::vector<std::string>& services);
  // NOT_SERVING for everything from now on (the main server drains).
  void SetNotServing();
  // Closes the port; idempotent.
  void Stop();

 private:
  HealthListener() = default;

  // Gives the server a polled completion queue; answers UNIMPLEMENTED.
  grpc::CallbackGenericService unimplemented_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
  bool stopped_ = false;
};

}  // namespace vlmc::service

#endif  // VLMC_SERVER_HEALTH_LISTENER_H_
