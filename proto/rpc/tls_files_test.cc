#include "proto/rpc/tls_files.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "models/util/file_io.h"
#include "tests/util/certificate_test_suite.h"

namespace vlmc::rpc {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class TlsFilesTest : public testing::CertificateTestSuite {
 protected:
  static std::string Read(const std::string& path) {
    absl::StatusOr<std::string> text = util::ReadFile(path);
    EXPECT_TRUE(text.ok()) << text.status();
    return text.ok() ? *text : "";
  }
};

TEST_F(TlsFilesTest, ReadsGoodFilesAndMatchesKeys) {
  absl::StatusOr<std::string> cert =
      ReadCertificatesPem("--tls-cert", certs_->server_cert());
  ASSERT_TRUE(cert.ok()) << cert.status();
  absl::StatusOr<std::string> key =
      ReadPrivateKeyPem("--tls-key", certs_->server_key());
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_TRUE(CheckKeyMatchesCertificate(*cert, *key).ok());

  absl::StatusOr<std::string> client_key =
      ReadPrivateKeyPem("--tls-key", certs_->client_key());
  ASSERT_TRUE(client_key.ok());
  EXPECT_EQ(CheckKeyMatchesCertificate(*cert, *client_key).code(),
            absl::StatusCode::kInvalidArgument);

  // A bundle of two CAs is fine for a CA file.
  absl::StatusOr<std::string> bundle = certs_->WriteFile(
      "bundle.crt", Read(certs_->ca_cert()) + Read(certs_->other_ca_cert()));
  ASSERT_TRUE(bundle.ok());
  EXPECT_TRUE(ReadCertificatesPem("--tls-client-ca", *bundle).ok());
}

TEST_F(TlsFilesTest, BadFilesNameTheSettingAndThePath) {
  const std::string cert_text = Read(certs_->server_cert());
  const std::string key_text = Read(certs_->server_key());
  std::string broken_cert = cert_text;
  broken_cert[broken_cert.size() / 2] = '*';  // inside the base64 body

  struct Case {
    const char* what;
    std::string text;  // written to a file; empty: a missing file
    bool as_key;
    std::string message;
  };
  const Case cases[] = {
      {"missing", "", false, "cannot open"},
      {"empty", "\n", false, "holds no PEM certificate"},
      {"key as certificate", key_text, false, "holds no PEM certificate"},
      {"corrupt certificate", broken_cert, false, "certificate 1 in '"},
      {"second certificate corrupt", cert_text + broken_cert, false,
       "certificate 2 in '"},
      {"certificate as key", cert_text, true,
       "holds no PEM private key that parses"},
      {"garbage key",
       "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE "
       "KEY-----\n",
       true, "holds no PEM private key that parses"},
      {"encrypted key",
       "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED "
       "PRIVATE KEY-----\n",
       true, "encrypted private key"},
  };
  int n = 0;
  for (const Case& c : cases) {
    std::string path = "/nonexistent/file.pem";
    if (!c.text.empty()) {
      absl::StatusOr<std::string> written =
          certs_->WriteFile(absl::StrCat("case", n++, ".pem"), c.text);
      ASSERT_TRUE(written.ok());
      path = *written;
    }
    const absl::Status status =
        c.as_key ? ReadPrivateKeyPem("--flag (ENV)", path).status()
                 : ReadCertificatesPem("--flag (ENV)", path).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.what;
    EXPECT_THAT(std::string(status.message()), StartsWith("--flag (ENV): "))
        << c.what;
    EXPECT_THAT(status.message(), HasSubstr(path)) << c.what;
    EXPECT_THAT(status.message(), HasSubstr(c.message)) << c.what;
  }
}

}  // namespace
}  // namespace vlmc::rpc
