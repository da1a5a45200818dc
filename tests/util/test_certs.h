#ifndef VLMC_TESTS_UTIL_TEST_CERTS_H_
#define VLMC_TESTS_UTIL_TEST_CERTS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bench/temp_dir.h"

namespace vlmc::testing {

// Certificates for TLS tests, made at run time by the `openssl` command in a
// private temporary folder that goes away with the object: a CA with a
// server certificate for localhost and 127.0.0.1 and a client certificate,
// and an unrelated second CA with a client certificate of its own. EC P-256
// keys (fast to make), valid for two days. Paths are absolute.
class TestCertificates {
 public:
  // Fails (naming the openssl command and its output) when openssl is
  // missing or refuses.
  static absl::StatusOr<std::unique_ptr<TestCertificates>> Create();

  std::string ca_cert() const { return dir_.File("ca.crt"); }
  std::string server_cert() const { return dir_.File("server.crt"); }
  std::string server_key() const { return dir_.File("server.key"); }
  std::string client_cert() const { return dir_.File("client.crt"); }
  std::string client_key() const { return dir_.File("client.key"); }
  std::string other_ca_cert() const { return dir_.File("other_ca.crt"); }
  std::string other_client_cert() const {
    return dir_.File("other_client.crt");
  }
  std::string other_client_key() const { return dir_.File("other_client.key"); }

  // Writes `text` to file `name` in the same folder; returns its path.
  absl::StatusOr<std::string> WriteFile(absl::string_view name,
                                        absl::string_view text) const;

 private:
  explicit TestCertificates(bench::ScopedTempDir dir) : dir_(std::move(dir)) {}

  bench::ScopedTempDir dir_;
};

}  // namespace vlmc::testing

#endif  // VLMC_TESTS_UTIL_TEST_CERTS_H_
