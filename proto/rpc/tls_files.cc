#include "proto/rpc/tls_files.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "models/util/file_io.h"

namespace vlmc::rpc {
namespace {

constexpr uint64_t kMaxPemFileBytes = 1 << 20;

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

BioPtr ReadOnlyBio(absl::string_view pem) {
  return BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

// Never prompts on a terminal for a passphrase: encrypted keys just fail.
int NoPassphrase(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*u*/) {
  return -1;
}

// OpenSSL's last error, taken off its queue (which is left empty).
unsigned long TakeLastError() {
  const unsigned long error = ERR_peek_last_error();
  ERR_clear_error();
  return error;
}

// True when `error` only says that no further PEM block was found.
bool IsEndOfPem(unsigned long error) {
  return error == 0 || (ERR_GET_LIB(error) == ERR_LIB_PEM &&
                        ERR_GET_REASON(error) == PEM_R_NO_START_LINE);
}

std::string Reason(unsigned long error) {
  const char* reason = ERR_reason_error_string(error);
  return reason != nullptr ? reason : "unknown error";
}

absl::StatusOr<std::string> ReadPem(absl::string_view what,
                                    const std::string& path) {
  absl::StatusOr<std::string> text = util::ReadFile(path, kMaxPemFileBytes);
  if (!text.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": ", text.status().message()));
  }
  return text;
}

X509Ptr FirstCertificate(absl::string_view pem) {
  BioPtr bio = ReadOnlyBio(pem);
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, NoPassphrase, nullptr));
  ERR_clear_error();
  return cert;
}

PkeyPtr PrivateKey(absl::string_view pem) {
  BioPtr bio = ReadOnlyBio(pem);
  PkeyPtr key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr));
  ERR_clear_error();
  return key;
}

}  // namespace

absl::StatusOr<std::string> ReadCertificatesPem(absl::string_view what,
                                                const std::string& path) {
  absl::StatusOr<std::string> pem = ReadPem(what, path);
  if (!pem.ok()) return pem.status();
  ERR_clear_error();
  BioPtr bio = ReadOnlyBio(*pem);
  int certificates = 0;
  while (
      X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, NoPassphrase, nullptr))) {
    ++certificates;
  }
  if (const unsigned long error = TakeLastError(); !IsEndOfPem(error)) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": certificate ", certificates + 1, " in '", path,
                     "' does not parse (", Reason(error), ")"));
  }
  if (certificates == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, ": '", path,
        "' holds no PEM certificate (-----BEGIN CERTIFICATE-----)"));
  }
  return pem;
}

absl::StatusOr<std::string> ReadPrivateKeyPem(absl::string_view what,
                                              const std::string& path) {
  absl::StatusOr<std::string> pem = ReadPem(what, path);
  if (!pem.ok()) return pem.status();
  if (absl::StrContains(*pem, "ENCRYPTED")) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": '", path,
                     "' holds an encrypted private key; gRPC needs it "
                     "unencrypted (openssl pkey -in KEY -out PLAIN_KEY)"));
  }
  ERR_clear_error();
  BioPtr bio = ReadOnlyBio(*pem);
  PkeyPtr key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr));
  if (key == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, ": '", path, "' holds no PEM private key that parses (",
        Reason(TakeLastError()), ")"));
  }
  return pem;
}

absl::Status CheckKeyMatchesCertificate(absl::string_view cert_pem,
                                        absl::string_view key_pem) {
  X509Ptr cert = FirstCertificate(cert_pem);
  PkeyPtr key = PrivateKey(key_pem);
  const bool match = cert != nullptr && key != nullptr &&
                     X509_check_private_key(cert.get(), key.get()) == 1;
  ERR_clear_error();
  if (!match) {
    return absl::InvalidArgumentError(
        "the private key does not belong to the certificate");
  }
  return absl::OkStatus();
}

}  // namespace vlmc::rpc
