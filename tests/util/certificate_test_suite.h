#ifndef VLMC_TESTS_UTIL_CERTIFICATE_TEST_SUITE_H_
#define VLMC_TESTS_UTIL_CERTIFICATE_TEST_SUITE_H_

#include <memory>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "tests/util/test_certs.h"

namespace vlmc::testing {

// Base of the TLS test suites: one TestCertificates per suite (making them
// runs openssl several times), created before the suite's first test and
// removed after its last. A suite with more set-up calls these first/last.
class CertificateTestSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<TestCertificates>> certs =
        TestCertificates::Create();
    ASSERT_TRUE(certs.ok()) << certs.status();
    certs_ = *std::move(certs);
  }
  static void TearDownTestSuite() { certs_.reset(); }

  static inline std::unique_ptr<TestCertificates> certs_;
};

}  // namespace vlmc::testing

#endif  // VLMC_TESTS_UTIL_CERTIFICATE_TEST_SUITE_H_
