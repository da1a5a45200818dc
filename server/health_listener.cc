#include "server/health_listener.h"

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/impl/server_builder_option.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace vlmc::service {
namespace {

// Drops the builder plugins (the reflection service, registered globally for
// the main server) so this server carries the health service alone.
class WithoutPlugins final : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments* /*args*/) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>*
                         plugins) override {
    plugins->clear();
  }
};

}  // namespace

absl::StatusOr<std::unique_ptr<HealthListener>> HealthListener::Start(
    const std::string& address) {
  grpc::EnableDefaultHealthCheckService(true);
  std::unique_ptr<HealthListener> listener(new HealthListener());
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &port);
  builder.SetOption(std::make_unique<WithoutPlugins>());
  // Without a registered service gRPC refuses to build the server.
  builder.RegisterCallbackGenericService(&listener->unimplemented_);
  listener->server_ = builder.BuildAndStart();
  if (listener->server_ == nullptr || port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", address,
                     " for --health-listen (address in use, or not a local "
                     "address?)"));
  }
  listener->server_->GetHealthCheckService()->SetServingStatus(false);
  listener->address_ =
      absl::StrCat(address.substr(0, address.rfind(':')), ":", port);
  return listener;
}

HealthListener::~HealthListener() { Stop(); }

void HealthListener::SetServing(const std::vector<std::string>& services) {
  grpc::HealthCheckServiceInterface* health = server_->GetHealthCheckService();
  health->SetServingStatus(true);
  for (const std::string& service : services) {
    health->SetServingStatus(service, true);
  }
}

void HealthListener::SetNotServing() {
  server_->GetHealthCheckService()->Shutdown();
}

void HealthListener::Stop() {
  if (stopped_ || server_ == nullptr) return;
  stopped_ = true;
  server_->GetHealthCheckService()->Shutdown();
  server_->Shutdown(std::chrono::system_clock::now());
  server_->Wait();
}

}  // namespace vlmc::service
