// vlmc-lvlm-ref: the reference LvlmService (COCO object detection), so the
// whole pipeline camera -> VlmCodec -> LvlmForwarder -> LVLM runs locally.
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "models/util/cli_flags.h"
#include "server/common/stop_signal.h"
#include "server/lvlm_ref/lvlm_ref_service.h"

namespace {

using vlmc::cli::Flags;

constexpr char kName[] = "vlmc-lvlm-ref";
constexpr char kServiceName[] = "vlmc.v1.LvlmService";
constexpr auto kShutdownGrace = std::chrono::seconds(5);

// A flag whose default comes from environment variable `env` when that is
// set and not empty.
Flags::Spec EnvFlag(const std::string& name, const char* env,
                    const std::string& fallback, const std::string& help) {
  const char* value = std::getenv(env);
  return {name, value != nullptr && *value != '\0' ? value : fallback,
          absl::StrCat(help, " [env ", env, "]")};
}

std::vector<Flags::Spec> FlagSpecs() {
  return {
      EnvFlag("listen", "VLMC_LVLM_REF_LISTEN", "127.0.0.1:50061",
              "HOST:PORT to listen on (port 0: any free port)"),
      EnvFlag("semantic-model-dir", "VLMC_LVLM_REF_SEMANTIC_MODEL_DIR",
              vlmc::semantic::DefaultSemanticModelDir(),
              "folder with centernet.{json,bin} and nanodet.{json,bin} "
              "(scripts/fetch-models.sh)"),
      EnvFlag("threads", "VLMC_LVLM_REF_THREADS", "0",
              "CPU threads of the detectors (0: LibTorch's default)"),
      EnvFlag("max-message-mb", "VLMC_LVLM_REF_MAX_MESSAGE_MB", "256",
              "largest request accepted, MiB (a float tensor takes 12 bytes "
              "per pixel)"),
      {"help", "", "print this help", true},
  };
}

int Fail(int exit_code, const absl::Status& status) {
  std::fprintf(stderr, "%s: %s\n", kName,
               std::string(status.message()).c_str());
  return exit_code;
}

// Splits HOST:PORT at the last colon ("[::1]:0" works too).
absl::Status SplitListen(const std::string& listen, std::string* host,
                         int* port) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(listen.substr(colon + 1), port) || *port < 0 ||
      *port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--listen must be HOST:PORT with PORT in [0, 65535], got '", listen,
        "'"));
  }
  *host = listen.substr(0, colon);
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  if (!vlmc::service::CatchStopSignals()) {
    return Fail(1, absl::InternalError("cannot install signal handlers"));
  }
  const std::vector<Flags::Spec> specs = FlagSpecs();
  absl::StatusOr<Flags> flags =
      Flags::Parse(std::vector<std::string>(argv + 1, argv + argc), specs);
  if (!flags.ok()) return Fail(2, flags.status());
  if (flags->GetBool("help")) {
    std::printf(
        "usage: %s [flags]\n"
        "Reference LvlmService: answers task \"detect\" (COCO boxes and "
        "class names;\noptions detector=centernet|nanodet, min_score) on a "
        "tensor or PNG/JPEG input.\nFlags override their environment "
        "variables.\n%s",
        kName, Flags::Usage(specs).c_str());
    return 0;
  }
  if (!flags->positional().empty()) {
    return Fail(2, absl::InvalidArgumentError(absl::StrCat(
                       "unexpected argument '", flags->positional()[0], "'")));
  }
  std::string host;
  int port = 0;
  if (absl::Status s = SplitListen(flags->Get("listen"), &host, &port);
      !s.ok()) {
    return Fail(2, s);
  }
  absl::StatusOr<int64_t> threads = flags->GetInt("threads");
  if (!threads.ok()) return Fail(2, threads.status());
  absl::StatusOr<int64_t> max_message_mb = flags->GetInt("max-message-mb");
  if (!max_message_mb.ok()) return Fail(2, max_message_mb.status());
  if (*threads < 0 || *max_message_mb < 1 || *max_message_mb > 2047) {
    return Fail(2, absl::InvalidArgumentError(
                       "--threads must be >= 0 and --max-message-mb in "
                       "[1, 2047]"));
  }
  if (*threads > 0) torch::set_num_threads(static_cast<int>(*threads));

  vlmc::lvlm_ref::ServiceOptions options;
  options.semantic_model_dir = flags->Get("semantic-model-dir");
  absl::StatusOr<std::unique_ptr<vlmc::lvlm_ref::LvlmRefService>> service =
      vlmc::lvlm_ref::LvlmRefService::Create(options);
  if (!service.ok()) return Fail(1, service.status());

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int bound_port = 0;
  builder.AddListeningPort(flags->Get("listen"),
                           grpc::InsecureServerCredentials(), &bound_port);
  builder.SetMaxReceiveMessageSize(static_cast<int>(*max_message_mb << 20));
  builder.RegisterService(service->get());
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || bound_port == 0) {
    return Fail(1, absl::UnavailableError(absl::StrCat("cannot listen on ",
                                                       flags->Get("listen"))));
  }
  server->GetHealthCheckService()->SetServingStatus(kServiceName, true);
  std::printf("%s: listening on %s:%d\n", kName, host.c_str(), bound_port);
  std::fflush(stdout);

  const int signal_number = vlmc::service::WaitForStopSignal();
  std::fprintf(stderr, "%s: signal %d, shutting down\n", kName, signal_number);
  server->Shutdown(std::chrono::system_clock::now() + kShutdownGrace);
  server->Wait();
  return 0;
}
