#include "client/remote_flags.h"

#include <algorithm>
#include <cstdlib>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "models/util/file_io.h"

namespace vlmc::cli {
namespace {

absl::Status TlsFromFlags(const Flags& flags, TlsOptions* tls) {
  tls->ca_file = flags.Get("tls-ca");
  tls->cert_file = flags.Get("tls-cert");
  tls->key_file = flags.Get("tls-key");
  tls->server_name = flags.Get("tls-server-name");
  if (tls->cert_file.empty() != tls->key_file.empty()) {
    return absl::InvalidArgumentError(
        "--tls-cert and --tls-key go together (mutual TLS)");
  }
  tls->enabled = flags.GetBool("tls") || !tls->ca_file.empty() ||
                 !tls->cert_file.empty() || !tls->server_name.empty();
  return absl::OkStatus();
}

// The token of --token-file, else of $VLMC_TOKEN, else empty.
absl::StatusOr<std::string> BearerToken(const Flags& flags) {
  const std::string& path = flags.Get("token-file");
  std::string origin, text;
  if (!path.empty()) {
    absl::StatusOr<std::string> file = util::ReadFile(path, 64 << 10);
    if (!file.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--token-file: ", file.status().message()));
    }
    origin = absl::StrCat("--token-file '", path, "'");
    text = *std::move(file);
  } else if (const char* env = std::getenv("VLMC_TOKEN"); env != nullptr) {
    origin = "VLMC_TOKEN";
    text = env;
  } else {
    return std::string();
  }
  const std::string token(absl::StripAsciiWhitespace(text));
  const bool one_visible_word =
      !token.empty() && std::all_of(token.begin(), token.end(), [](char c) {
        return c > ' ' && c < '\x7f';
      });
  if (!one_visible_word) {
    return absl::InvalidArgumentError(absl::StrCat(
        origin, " must hold one token of visible ASCII characters"));
  }
  return token;
}

}  // namespace

absl::StatusOr<ClientOptions> ClientOptionsFromFlags(const Flags& flags) {
  absl::StatusOr<int64_t> deadline_ms = flags.GetInt("deadline-ms");
  if (!deadline_ms.ok()) return deadline_ms.status();
  if (*deadline_ms <= 0)
    return absl::InvalidArgumentError("--deadline-ms must be positive");
  ClientOptions options;
  options.timeout = absl::Milliseconds(*deadline_ms);
  if (absl::Status tls = TlsFromFlags(flags, &options.tls); !tls.ok()) {
    return tls;
  }
  absl::StatusOr<std::string> token = BearerToken(flags);
  if (!token.ok()) return token.status();
  options.bearer_token = *std::move(token);
  return options;
}

}  // namespace vlmc::cli
