#ifndef VLMC_SERVER_AUTH_SERVER_SECURITY_H_
#define VLMC_SERVER_AUTH_SERVER_SECURITY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/security/server_credentials.h"
#include "server/auth/token_table.h"
#include "server/server_options.h"

namespace vlmc::auth {

// What vlmc-server's --tls-* and --auth-tokens flags ask for, with every file
// read and checked, ready for the gRPC server.
struct ServerSecurity {
  // Credentials of the gRPC port: TLS (maybe requiring client certificates)
  // or plaintext.
  std::shared_ptr<grpc::ServerCredentials> credentials;
  bool tls = false;
  bool client_certificates_required = false;
  // The accepted bearer tokens; null when calls need none.
  std::shared_ptr<const TokenTable> tokens;

  // Reads the files the options name. `methods` are the RPC names a token
  // line may list. INVALID_ARGUMENT naming the flag, the file and the
  // problem: unreadable, no PEM certificate or key in it, a key that is not
  // the certificate's, a malformed token line.
  static absl::StatusOr<ServerSecurity> Load(
      const service::ServerOptions& options,
      const std::vector<std::string>& methods);

  // One line for the start-up log, e.g. "TLS with client certificates,
  // bearer tokens of 3 clients".
  std::string Describe() const;
};

}  // namespace vlmc::auth

#endif  // VLMC_SERVER_AUTH_SERVER_SECURITY_H_
