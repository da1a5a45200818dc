// The `--server` side in a build without the service (VLMC_BUILD_SERVICE=OFF,
// e.g. a training-only build): every remote use is refused in one line, as a
// usage error.
#include "client/command_util.h"
#include "client/commands.h"
#include "client/remote_commands.h"

namespace vlmc::cli {
namespace {

absl::Status NotBuilt() {
  return absl::FailedPreconditionError(
      "--server: vlmc was built without the service (VLMC_BUILD_SERVICE=OFF)");
}

}  // namespace

int RemoteEncode(const Flags&, const std::string&, const EncodeTarget&, int) {
  return UsageError("encode", NotBuilt());
}

int RemoteDecode(const Flags&, const std::string&) {
  return UsageError("decode", NotBuilt());
}

int RemoteInfo(const Flags&) { return UsageError("info", NotBuilt()); }

absl::StatusOr<RoundTripFn> RemoteRoundTrip(const Flags&) { return NotBuilt(); }

absl::StatusOr<DetectFn> RemoteDetector(const Flags&) { return NotBuilt(); }

int RunForward(const std::vector<std::string>&) {
  return UsageError(
      "forward",
      absl::FailedPreconditionError(
          "vlmc was built without the service (VLMC_BUILD_SERVICE=OFF)"));
}

}  // namespace vlmc::cli
