#include "tests/util/test_certs.h"

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/subprocess.h"
#include "models/util/file_io.h"

namespace vlmc::testing {
namespace {

// The openssl configuration: one extension section per kind of certificate.
constexpr absl::string_view kConfig = R"([req]
distinguished_name = dn
prompt = no
[dn]
CN = vlmc-test
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1
[client_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
)";

absl::Status Openssl(std::vector<std::string> args) {
  args.insert(args.begin(), "openssl");
  absl::StatusOr<bench::CommandResult> result = bench::RunCommand(args);
  if (!result.ok()) return result.status();
  if (result->exit_code != 0) {
    return absl::InternalError(absl::StrCat(bench::FormatCommandLine(args),
                                            " exited with ", result->exit_code,
                                            ": ", result->output));
  }
  return absl::OkStatus();
}

class Maker {
 public:
  explicit Maker(const bench::ScopedTempDir& dir)
      : dir_(dir), config_(dir.File("openssl.cnf")) {}

  absl::Status WriteConfig() {
    return util::WriteFileAtomically(config_, kConfig);
  }

  // Self-signed CA `name`.crt / `name`.key.
  absl::Status Ca(const std::string& name) {
    return Openssl({"req", "-x509", "-config", config_, "-extensions", "ca_ext",
                    "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", dir_.File(name + ".key"), "-out",
                    dir_.File(name + ".crt"), "-days", "2", "-subj",
                    "/CN=vlmc test " + name});
  }

  // `name`.crt / `name`.key for `common_name`, signed by CA `ca`, with the
  // config's `extensions` section.
  absl::Status Leaf(const std::string& name, const std::string& common_name,
                    const std::string& ca, const std::string& extensions) {
    const std::string csr = dir_.File(name + ".csr");
    absl::Status request = Openssl(
        {"req", "-new", "-config", config_, "-newkey", "ec", "-pkeyopt",
         "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
         dir_.File(name + ".key"), "-out", csr, "-subj", "/CN=" + common_name});
    if (!request.ok()) return request;
    return Openssl({"x509", "-req", "-in", csr, "-CA", dir_.File(ca + ".crt"),
                    "-CAkey", dir_.File(ca + ".key"), "-set_serial",
                    std::to_string(++serial_), "-days", "2", "-extfile",
                    config_, "-extensions", extensions, "-out",
                    dir_.File(name + ".crt")});
  }

 private:
  const bench::ScopedTempDir& dir_;
  const std::string config_;
  int serial_ = 1;
};

}  // namespace

absl::StatusOr<std::unique_ptr<TestCertificates>> TestCertificates::Create() {
  absl::StatusOr<bench::ScopedTempDir> dir =
      bench::ScopedTempDir::Create("vlmc_test_certs");
  if (!dir.ok()) return dir.status();
  Maker maker(*dir);
  const std::vector<std::function<absl::Status()>> steps = {
      [&] { return maker.WriteConfig(); },
      [&] { return maker.Ca("ca"); },
      [&] { return maker.Leaf("server", "localhost", "ca", "server_ext"); },
      [&] { return maker.Leaf("client", "camera-1", "ca", "client_ext"); },
      [&] { return maker.Ca("other_ca"); },
      [&] {
        return maker.Leaf("other_client", "camera-1", "other_ca", "client_ext");
      },
  };
  for (const auto& step : steps) {
    if (absl::Status s = step(); !s.ok()) return s;
  }
  return std::unique_ptr<TestCertificates>(
      new TestCertificates(*std::move(dir)));
}

absl::StatusOr<std::string> TestCertificates::WriteFile(
    absl::string_view name, absl::string_view text) const {
  const std::string path = dir_.File(name);
  if (absl::Status s = util::WriteFileAtomically(path, text); !s.ok()) {
    return s;
  }
  return path;
}

}  // namespace vlmc::testing
