#include "server/vlmc_server.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "models/nn/cpu_threads.h"
#include "server/device.h"

namespace vlmc::service {
namespace {

void Log(const std::string& line) {
  std::fprintf(stderr, "vlmc-server: %s\n", line.c_str());
}

// LibTorch threads per inference: as asked, or the cores shared among the
// workers.
int TorchThreads(const ServerOptions& options) {
  if (options.torch_threads > 0) return options.torch_threads;
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  return std::max(1, cores / options.workers);
}

// The VlmCodec RPC names ("Encode", ...), as token lines name them.
std::vector<std::string> CodecMethodNames() {
  const google::protobuf::ServiceDescriptor* service =
      v1::EncodeRequest::descriptor()->file()->FindServiceByName("VlmCodec");
  std::vector<std::string> names;
  for (int i = 0; i < service->method_count(); ++i) {
    names.push_back(service->method(i)->name());
  }
  return names;
}

}  // namespace

absl::StatusOr<auth::ServerSecurity> VlmcServer::LoadSecurity(
    const ServerOptions& options) {
  return auth::ServerSecurity::Load(options, CodecMethodNames());
}

absl::StatusOr<std::unique_ptr<VlmcServer>> VlmcServer::Start(
    const ServerOptions& options) {
  absl::StatusOr<auth::ServerSecurity> security = LoadSecurity(options);
  if (!security.ok()) return security.status();
  return Start(options, *security);
}

absl::StatusOr<std::unique_ptr<VlmcServer>> VlmcServer::Start(
    const ServerOptions& options, const auth::ServerSecurity& security) {
  std::unique_ptr<VlmcServer> server(new VlmcServer());
  absl::StatusOr<std::string> device = ResolveDevice(options.device);
  if (!device.ok()) return device.status();
  const int torch_threads = TorchThreads(options);
  nn::SetCpuThreads(torch_threads);

  codec::CodecOptions codec_options;
  codec_options.device = *device;
  codec_options.synthesis = options.synthesis;
  absl::StatusOr<std::unique_ptr<ModelRegistry>> models = ModelRegistry::Load(
      options.model_root, options.model_id, options.model_version,
      codec_options, options.extra_model_ids);
  if (!models.ok()) return models.status();
  server->models_ = *std::move(models);
  for (const ServedModel& model : server->models_->models()) {
    Log(absl::StrCat("loaded ", model.model_id, " v", model.version,
                     " (weights ", model.weights_sha256_prefix, ")",
                     model.is_default ? ", the default" : ""));
    server->metrics_.AddModelInfo(model.model_id, model.version,
                                  model.weights_sha256_prefix,
                                  model.is_default);
  }

  absl::StatusOr<std::unique_ptr<ratecontrol::TaskEvaluator>> evaluator =
      ratecontrol::TaskEvaluator::Load(options.semantic_model_dir);
  if (evaluator.ok()) {
    server->task_evaluator_ = *std::move(evaluator);
  } else {
    server->context_.task_unavailable_reason = absl::StrCat(
        "EncodeForTask is unavailable on this server: the semantic models "
        "did not load (",
        evaluator.status().message(),
        "); run scripts/fetch-models.sh or start the server with "
        "--semantic-model-dir pointing at them");
    Log(absl::StrCat("warning: ", server->context_.task_unavailable_reason));
  }

  Metrics* metrics = &server->metrics_;
  metrics->SetQueueCapacity(static_cast<size_t>(options.queue_capacity));
  WorkQueue::Options queue_options;
  queue_options.workers = options.workers;
  queue_options.capacity = static_cast<size_t>(options.queue_capacity);
  queue_options.max_batch = options.max_batch;
  queue_options.batch_window =
      std::chrono::microseconds(options.batch_window_us);
  queue_options.on_change = [metrics](size_t depth, size_t /*running*/) {
    metrics->SetQueueDepth(depth);
  };
  queue_options.on_batch = [metrics](const WorkQueue::BatchReport& report) {
    metrics->RecordBatch(report.size, report.window_wait_seconds);
  };
  server->queue_ = std::make_unique<WorkQueue>(std::move(queue_options));

  ServiceContext& context = server->context_;
  context.models = server->models_.get();
  context.task_evaluator = server->task_evaluator_.get();
  context.metrics = metrics;
  context.queue = server->queue_.get();
  server->tokens_ = security.tokens;
  context.tokens = server->tokens_.get();
  context.limits.max_image_pixels = options.max_image_pixels;
  context.limits.max_image_dimension = options.max_image_dimension;
  context.limits.max_message_bytes = options.max_message_bytes;
  context.device = *device;
  context.workers = options.workers;
  context.queue_capacity = options.queue_capacity;
  context.png_compression_level = options.png_compression_level;
  server->service_ = std::make_unique<CodecService>(context);

  // Metrics first: a busy metrics port must not leave a half-started server
  // that already accepted calls.
  if (!options.metrics_listen.empty()) {
    absl::StatusOr<std::unique_ptr<MetricsHttpServer>> http =
        MetricsHttpServer::Start(options.metrics_listen, metrics->registry());
    if (!http.ok()) return http.status();
    server->metrics_http_ = *std::move(http);
    server->metrics_address_ = server->metrics_http_->address();
  }

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen, security.credentials, &port);
  builder.RegisterService(server->service_.get());
  builder.SetMaxReceiveMessageSize(static_cast<int>(options.max_message_bytes));
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen,
                     " (address in use, or not a local address?)"));
  }
  server->listen_address_ = absl::StrCat(
      options.listen.substr(0, options.listen.rfind(':')), ":", port);
  Log(absl::StrCat("gRPC: ", security.Describe()));
  if (security.tokens != nullptr && !security.tls) {
    Log("warning: bearer tokens without TLS travel in the clear");
  }
  if (!options.health_listen.empty()) {
    absl::StatusOr<std::unique_ptr<HealthListener>> listener =
        HealthListener::Start(options.health_listen);
    if (!listener.ok()) return listener.status();
    server->health_listener_ = *std::move(listener);
    server->health_address_ = server->health_listener_->address();
  }
  grpc::HealthCheckServiceInterface* health =
      server->server_->GetHealthCheckService();
  health->SetServingStatus(true);
  health->SetServingStatus(v1::VlmCodec::service_full_name(), true);
  if (server->health_listener_ != nullptr) {
    server->health_listener_->SetServing({v1::VlmCodec::service_full_name()});
  }
  return server;
}

VlmcServer::~VlmcServer() { Shutdown(absl::ZeroDuration()); }

void VlmcServer::Shutdown(absl::Duration grace) {
  if (shut_down_) return;
  shut_down_ = true;
  if (server_ != nullptr) {
    // Sets every service NOT_SERVING and keeps it so.
    server_->GetHealthCheckService()->Shutdown();
    if (health_listener_ != nullptr) health_listener_->SetNotServing();
    // Returns once every call has finished; the workers keep running
    // meanwhile, so queued calls are still served within the grace.
    server_->Shutdown(std::chrono::system_clock::now() +
                      absl::ToChronoNanoseconds(grace));
  }
  if (queue_ != nullptr) queue_->Shutdown();
  if (server_ != nullptr) server_->Wait();
  // Probes see NOT_SERVING until the drain is over.
  if (health_listener_ != nullptr) health_listener_->Stop();
  metrics_http_.reset();
}

}  // namespace vlmc::service
