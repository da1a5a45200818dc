#include "bench/load/loopback.h"

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace vlmc::bench {
namespace {

bool IsLoopbackHost(absl::string_view host) {
  if (host == "localhost" || host == "::1" || host == "[::1]") return true;
  std::vector<absl::string_view> octets = absl::StrSplit(host, '.');
  if (octets.size() != 4 || octets[0] != "127") return false;
  for (absl::string_view octet : octets) {
    int value = 0;
    if (octet.empty() || octet.size() > 3 || !absl::SimpleAtoi(octet, &value) ||
        value < 0 || value > 255) {
      return false;
    }
  }
  return true;
}

}  // namespace

absl::Status CheckLoopbackTarget(absl::string_view target) {
  const size_t colon = target.rfind(':');
  if (colon == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", target, "' is not HOST:PORT"));
  }
  const absl::string_view host = target.substr(0, colon);
  int port = 0;
  if (!absl::SimpleAtoi(target.substr(colon + 1), &port) || port < 1 ||
      port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("'", target, "': bad port"));
  }
  if (!IsLoopbackHost(host)) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", target,
                     "': load tests only target loopback addresses "
                     "(127.0.0.1, ::1, localhost)"));
  }
  return absl::OkStatus();
}

}  // namespace vlmc::bench
