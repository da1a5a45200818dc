// vlmc-healthcheck: asks a gRPC server's standard health service whether it
// is SERVING. The container image's HEALTHCHECK runs it; Kubernetes probes
// the same service natively.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "models/util/cli_flags.h"
#include "server/healthcheck/health_probe.h"

namespace {

using vlmc::cli::Flags;

constexpr char kName[] = "vlmc-healthcheck";
// Docker reads 0 as healthy and 1 as unhealthy; 2 is its reserved code, used
// here for a command line that could not be understood.
constexpr int kHealthy = 0;
constexpr int kUnhealthy = 1;
constexpr int kUsageError = 2;

std::vector<Flags::Spec> FlagSpecs() {
  return {
      {"address", "127.0.0.1:50051", "HOST:PORT of the server to ask"},
      {"service", "",
       "service name to ask about (empty: the whole server; vlmc-server also "
       "answers for vlmc.v1.VlmCodec)"},
      {"timeout-seconds", "5", "give up after this many seconds"},
      {"help", "", "print this help", true},
  };
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  absl::StatusOr<Flags> flags = Flags::Parse(args, FlagSpecs());
  if (!flags.ok()) {
    std::fprintf(stderr, "%s: %s\nusage: %s [flags]\n%s", kName,
                 std::string(flags.status().message()).c_str(), kName,
                 Flags::Usage(FlagSpecs()).c_str());
    return kUsageError;
  }
  if (flags->GetBool("help")) {
    std::printf(
        "usage: %s [flags]\nExit status: 0 SERVING, 1 anything else (not "
        "serving, unknown service, unreachable), 2 bad command line.\n%s",
        kName, Flags::Usage(FlagSpecs()).c_str());
    return kHealthy;
  }
  if (!flags->positional().empty()) {
    std::fprintf(stderr, "%s: unexpected argument %s\n", kName,
                 flags->positional().front().c_str());
    return kUsageError;
  }
  absl::StatusOr<double> timeout_seconds = flags->GetDouble("timeout-seconds");
  if (!timeout_seconds.ok() || !(*timeout_seconds > 0)) {
    std::fprintf(stderr, "%s: --timeout-seconds must be a positive number\n",
                 kName);
    return kUsageError;
  }
  const std::string& address = flags->Get("address");
  absl::StatusOr<vlmc::healthcheck::ServingState> state =
      vlmc::healthcheck::CheckHealth(address, flags->Get("service"),
                                     absl::Seconds(*timeout_seconds));
  if (!state.ok()) {
    std::fprintf(stderr, "%s: %s: %s\n", kName, address.c_str(),
                 state.status().ToString().c_str());
    return kUnhealthy;
  }
  std::printf("%s: %s %s\n", kName, address.c_str(),
              vlmc::healthcheck::ServingStateName(*state));
  return *state == vlmc::healthcheck::ServingState::kServing ? kHealthy
                                                             : kUnhealthy;
}
