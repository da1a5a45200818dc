#include "server/auth/server_security.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "proto/rpc/tls_files.h"

namespace vlmc::auth {
namespace {

using service::ServerOptions;

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> TlsCredentials(
    const ServerOptions& options) {
  absl::StatusOr<std::string> cert = rpc::ReadCertificatesPem(
      ServerOptions::FlagLabel("tls-cert"), options.tls_cert);
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = rpc::ReadPrivateKeyPem(
      ServerOptions::FlagLabel("tls-key"), options.tls_key);
  if (!key.ok()) return key.status();
  if (absl::Status match = rpc::CheckKeyMatchesCertificate(*cert, *key);
      !match.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        ServerOptions::FlagLabel("tls-key"), ": '", options.tls_key,
        "' is not the private key of the certificate in '", options.tls_cert,
        "'"));
  }
  grpc::SslServerCredentialsOptions ssl(
      GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  ssl.pem_key_cert_pairs.push_back({*std::move(key), *std::move(cert)});
  if (!options.tls_client_ca.empty()) {
    absl::StatusOr<std::string> client_ca = rpc::ReadCertificatesPem(
        ServerOptions::FlagLabel("tls-client-ca"), options.tls_client_ca);
    if (!client_ca.ok()) return client_ca.status();
    ssl.pem_root_certs = *std::move(client_ca);
    ssl.client_certificate_request =
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(ssl);
}

}  // namespace

absl::StatusOr<ServerSecurity> ServerSecurity::Load(
    const ServerOptions& options, const std::vector<std::string>& methods) {
  ServerSecurity security;
  if (options.tls_cert.empty()) {
    security.credentials = grpc::InsecureServerCredentials();
  } else {
    absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
        TlsCredentials(options);
    if (!credentials.ok()) return credentials.status();
    security.credentials = *std::move(credentials);
    security.tls = true;
    security.client_certificates_required = !options.tls_client_ca.empty();
  }
  if (!options.auth_tokens.empty()) {
    absl::StatusOr<TokenTable> tokens =
        TokenTable::Load(options.auth_tokens, methods);
    if (!tokens.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(ServerOptions::FlagLabel("auth-tokens"), ": ",
                       tokens.status().message()));
    }
    security.tokens = std::make_shared<const TokenTable>(*std::move(tokens));
  }
  return security;
}

std::string ServerSecurity::Describe() const {
  std::string out = !tls ? "plaintext"
                    : client_certificates_required
                        ? "TLS with client certificates"
                        : "TLS";
  if (tokens != nullptr) {
    absl::StrAppend(&out, ", bearer tokens of ", tokens->size(), " client",
                    tokens->size() == 1 ? "" : "s");
  } else {
    absl::StrAppend(&out, ", no bearer tokens");
  }
  return out;
}

}  // namespace vlmc::auth
