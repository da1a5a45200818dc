#include "server/auth/server_security.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/util/certificate_test_suite.h"

namespace vlmc::auth {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::vector<std::string> kMethods = {"Encode", "Decode"};

class ServerSecurityTest : public testing::CertificateTestSuite {
 protected:
  static absl::StatusOr<ServerSecurity> Load(std::vector<std::string> args) {
    absl::StatusOr<service::ServerOptions> options =
        service::ServerOptions::Create(
            args, [](const std::string&) { return std::nullopt; });
    if (!options.ok()) return options.status();
    return ServerSecurity::Load(*options, kMethods);
  }
};

TEST_F(ServerSecurityTest, PlaintextByDefault) {
  absl::StatusOr<ServerSecurity> security = Load({});
  ASSERT_TRUE(security.ok()) << security.status();
  EXPECT_FALSE(security->tls);
  EXPECT_EQ(security->tokens, nullptr);
  EXPECT_NE(security->credentials, nullptr);
  EXPECT_EQ(security->Describe(), "plaintext, no bearer tokens");
}

TEST_F(ServerSecurityTest, TlsMutualTlsAndTokens) {
  absl::StatusOr<ServerSecurity> tls = Load(
      {"--tls-cert", certs_->server_cert(), "--tls-key", certs_->server_key()});
  ASSERT_TRUE(tls.ok()) << tls.status();
  EXPECT_TRUE(tls->tls);
  EXPECT_FALSE(tls->client_certificates_required);

  absl::StatusOr<std::string> tokens = certs_->WriteFile(
      "tokens.txt", "a 0123456789abcdef Encode\nb fedcba9876543210\n");
  ASSERT_TRUE(tokens.ok());
  absl::StatusOr<ServerSecurity> mutual = Load(
      {"--tls-cert", certs_->server_cert(), "--tls-key", certs_->server_key(),
       "--tls-client-ca", certs_->ca_cert(), "--auth-tokens", *tokens});
  ASSERT_TRUE(mutual.ok()) << mutual.status();
  EXPECT_TRUE(mutual->client_certificates_required);
  ASSERT_NE(mutual->tokens, nullptr);
  EXPECT_EQ(mutual->tokens->size(), 2u);
  EXPECT_EQ(mutual->Describe(),
            "TLS with client certificates, bearer tokens of 2 clients");
}

TEST_F(ServerSecurityTest, UnusableFilesNameTheFlag) {
  absl::StatusOr<std::string> bad_tokens =
      certs_->WriteFile("bad_tokens.txt", "a 0123456789abcdef\nb\n");
  ASSERT_TRUE(bad_tokens.ok());
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"--tls-cert", "/nonexistent.crt", "--tls-key", certs_->server_key()},
       "--tls-cert (VLMC_TLS_CERT): cannot open '/nonexistent.crt'"},
      {{"--tls-cert", certs_->server_key(), "--tls-key", certs_->server_key()},
       "--tls-cert (VLMC_TLS_CERT): '" + certs_->server_key() +
           "' holds no PEM certificate"},
      {{"--tls-cert", certs_->server_cert(), "--tls-key",
        certs_->server_cert()},
       "--tls-key (VLMC_TLS_KEY): '" + certs_->server_cert() +
           "' holds no PEM private key"},
      {{"--tls-cert", certs_->server_cert(), "--tls-key", certs_->client_key()},
       "--tls-key (VLMC_TLS_KEY): '" + certs_->client_key() +
           "' is not the private key of the certificate in '" +
           certs_->server_cert() + "'"},
      {{"--tls-cert", certs_->server_cert(), "--tls-key", certs_->server_key(),
        "--tls-client-ca", certs_->server_key()},
       "--tls-client-ca (VLMC_TLS_CLIENT_CA): '" + certs_->server_key() +
           "' holds no PEM certificate"},
      {{"--auth-tokens", *bad_tokens},
       "--auth-tokens (VLMC_AUTH_TOKENS): '" + *bad_tokens +
           "' line 2: expected CLIENT_NAME TOKEN"},
      {{"--auth-tokens", "/nonexistent/tokens"},
       "--auth-tokens (VLMC_AUTH_TOKENS): cannot open '/nonexistent/tokens'"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<ServerSecurity> security = Load(c.args);
    ASSERT_FALSE(security.ok()) << c.message;
    EXPECT_EQ(security.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(security.status().message()),
                StartsWith(c.message));
  }
}

}  // namespace
}  // namespace vlmc::auth
