// vlmc-server: the VlmCodec gRPC service. `vlmc-server --help` lists the
// flags. Stdout carries exactly one line once serving (integration tests
// parse it); everything else goes to stderr.
#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "server/common/stop_signal.h"
#include "server/server_options.h"
#include "server/vlmc_server.h"

int main(int argc, char** argv) {
  using vlmc::service::ServerOptions;
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (ServerOptions::HelpRequested(args)) {
    std::fputs(ServerOptions::Help().c_str(), stdout);
    return 0;
  }
  absl::StatusOr<ServerOptions> options = ServerOptions::Create(args);
  if (!options.ok()) {
    std::fprintf(stderr, "vlmc-server: %s\n",
                 std::string(options.status().message()).c_str());
    return 2;
  }

  if (!vlmc::service::CatchStopSignals()) {
    std::fprintf(stderr,
                 "vlmc-server: cannot install SIGTERM/SIGINT handlers\n");
    return 1;
  }
  // A TLS or token file that cannot be used is a configuration error (2),
  // reported before the models load.
  absl::StatusOr<vlmc::auth::ServerSecurity> security =
      vlmc::service::VlmcServer::LoadSecurity(*options);
  if (!security.ok()) {
    std::fprintf(stderr, "vlmc-server: %s\n",
                 std::string(security.status().message()).c_str());
    return 2;
  }
  absl::StatusOr<std::unique_ptr<vlmc::service::VlmcServer>> server =
      vlmc::service::VlmcServer::Start(*options, *security);
  if (!server.ok()) {
    std::fprintf(stderr, "vlmc-server: %s\n",
                 std::string(server.status().message()).c_str());
    return 1;
  }
  const std::string metrics = (*server)->metrics_address().empty()
                                  ? "off"
                                  : (*server)->metrics_address();
  const std::string health = (*server)->health_address().empty()
                                 ? ""
                                 : " health " + (*server)->health_address();
  std::printf("vlmc-server: listening on %s metrics %s%s\n",
              (*server)->listen_address().c_str(), metrics.c_str(),
              health.c_str());
  std::fflush(stdout);

  const int signal = vlmc::service::WaitForStopSignal();
  std::fprintf(stderr, "vlmc-server: %s: draining (grace %g s)\n",
               signal == SIGTERM ? "SIGTERM" : "SIGINT",
               options->shutdown_grace_seconds);
  const absl::Time start = absl::Now();
  (*server)->Shutdown(absl::Seconds(options->shutdown_grace_seconds));
  std::fprintf(
      stderr, "vlmc-server: stopped after %llu requests (drained in %.2f s)\n",
      static_cast<unsigned long long>((*server)->metrics().finished_requests()),
      absl::ToDoubleSeconds(absl::Now() - start));
  return 0;
}
