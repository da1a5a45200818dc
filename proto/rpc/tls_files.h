#ifndef VLMC_PROTO_RPC_TLS_FILES_H_
#define VLMC_PROTO_RPC_TLS_FILES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vlmc::rpc {

// PEM files for TLS, read and checked before gRPC sees them, so a wrong file
// is reported up front, naming it, instead of as a failed listen or
// handshake later. `what` names the setting in messages ("--tls-cert
// (VLMC_TLS_CERT)"); every error starts with it and names the path. Files
// are read with a 1 MiB cap.

// The file's text when it holds at least one PEM certificate and every
// certificate in it parses.
absl::StatusOr<std::string> ReadCertificatesPem(absl::string_view what,
                                                const std::string& path);

// The file's text when it holds an unencrypted PEM private key that parses.
absl::StatusOr<std::string> ReadPrivateKeyPem(absl::string_view what,
                                              const std::string& path);

// OK when `key_pem` is the private key of the first certificate of
// `cert_pem` (both as returned above); INVALID_ARGUMENT otherwise.
absl::Status CheckKeyMatchesCertificate(absl::string_view cert_pem,
                                        absl::string_view key_pem);

}  // namespace vlmc::rpc

#endif  // VLMC_PROTO_RPC_TLS_FILES_H_
