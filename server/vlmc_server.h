#ifndef VLMC_SERVER_VLMC_SERVER_H_
#define VLMC_SERVER_VLMC_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/server.h"
#include "models/ratecontrol/task_fidelity.h"
#include "server/auth/server_security.h"
#include "server/codec_service.h"
#include "server/health_listener.h"
#include "server/metrics.h"
#include "server/metrics_http.h"
#include "server/model_registry.h"
#include "server/server_options.h"
#include "server/service_context.h"
#include "server/work_queue.h"

namespace vlmc::service {

// The whole service in one process: models, workers, metrics endpoint, the
// gRPC server (VlmCodec, health, reflection; plaintext or TLS, bearer tokens
// if asked) and the optional plaintext health listener. Used by
// vlmc-server's main and by in-process tests.
class VlmcServer {
 public:
  // Loads the models and starts serving; SERVING on the health service once
  // this returns. Start-up failures (TLS or token files, device, models,
  // ports) are returned, not logged; progress and warnings go to stderr.
  static absl::StatusOr<std::unique_ptr<VlmcServer>> Start(
      const ServerOptions& options);
  // Same with the TLS and token files already loaded (LoadSecurity), so
  // that a caller can tell a bad file from other start-up failures.
  static absl::StatusOr<std::unique_ptr<VlmcServer>> Start(
      const ServerOptions& options, const auth::ServerSecurity& security);

  // Reads and checks the files of the options' --tls-* and --auth-tokens
  // flags (token lines may name the VlmCodec RPCs). INVALID_ARGUMENT naming
  // the flag and the problem.
  static absl::StatusOr<auth::ServerSecurity> LoadSecurity(
      const ServerOptions& options);

  // Shutdown(0) if not done yet.
  ~VlmcServer();

  VlmcServer(const VlmcServer&) = delete;
  VlmcServer& operator=(const VlmcServer&) = delete;

  // The gRPC address with the port actually bound ("127.0.0.1:50051").
  const std::string& listen_address() const { return listen_address_; }
  // Same for /metrics; empty when metrics are off.
  const std::string& metrics_address() const { return metrics_address_; }
  // Same for --health-listen; empty when there is none.
  const std::string& health_address() const { return health_address_; }

  // Graceful stop: health NOT_SERVING (on the health listener too), no new
  // calls, calls in flight get `grace` to finish (then they are cancelled),
  // the work queue drains. Idempotent.
  void Shutdown(absl::Duration grace);

  // The inference queue (tests use it to fill the queue deterministically).
  WorkQueue& work_queue() { return *queue_; }
  const ModelRegistry& models() const { return *models_; }
  const Metrics& metrics() const { return metrics_; }

 private:
  VlmcServer() = default;

  Metrics metrics_;
  std::unique_ptr<ModelRegistry> models_;
  std::unique_ptr<ratecontrol::TaskEvaluator> task_evaluator_;
  std::unique_ptr<WorkQueue> queue_;
  ServiceContext context_;
  std::unique_ptr<CodecService> service_;
  std::unique_ptr<MetricsHttpServer> metrics_http_;
  std::shared_ptr<const auth::TokenTable> tokens_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<HealthListener> health_listener_;
  std::string listen_address_;
  std::string metrics_address_;
  std::string health_address_;
  bool shut_down_ = false;
};

}  // namespace vlmc::service

#endif  // VLMC_SERVER_VLMC_SERVER_H_
