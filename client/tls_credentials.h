#ifndef VLMC_CLIENT_TLS_CREDENTIALS_H_
#define VLMC_CLIENT_TLS_CREDENTIALS_H_

#include <memory>

#include "absl/status/statusor.h"
#include "client/client_options.h"
#include "grpcpp/security/credentials.h"

namespace vlmc {

// gRPC TLS channel credentials from the PEM files `tls` names, each read and
// checked first: INVALID_ARGUMENT naming the file and the problem (cannot be
// read, no certificate or key in it, a key that is not the certificate's).
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> TlsChannelCredentials(
    const TlsOptions& tls);

}  // namespace vlmc

#endif  // VLMC_CLIENT_TLS_CREDENTIALS_H_
