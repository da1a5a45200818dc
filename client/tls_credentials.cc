#include "client/tls_credentials.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "proto/rpc/tls_files.h"

namespace vlmc {

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> TlsChannelCredentials(
    const TlsOptions& tls) {
  grpc::SslCredentialsOptions ssl;
  if (!tls.ca_file.empty()) {
    absl::StatusOr<std::string> roots =
        rpc::ReadCertificatesPem("TLS CA file", tls.ca_file);
    if (!roots.ok()) return roots.status();
    ssl.pem_root_certs = *std::move(roots);
  }
  if (!tls.cert_file.empty()) {
    absl::StatusOr<std::string> cert =
        rpc::ReadCertificatesPem("TLS client certificate", tls.cert_file);
    if (!cert.ok()) return cert.status();
    absl::StatusOr<std::string> key =
        rpc::ReadPrivateKeyPem("TLS client key", tls.key_file);
    if (!key.ok()) return key.status();
    if (!rpc::CheckKeyMatchesCertificate(*cert, *key).ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("TLS client key: '", tls.key_file,
                       "' is not the private key of the certificate in '",
                       tls.cert_file, "'"));
    }
    ssl.pem_cert_chain = *std::move(cert);
    ssl.pem_private_key = *std::move(key);
  }
  return grpc::SslCredentials(ssl);
}

}  // namespace vlmc
