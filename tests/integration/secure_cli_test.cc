// The real vlmc-server with TLS (client certificates required), bearer
// tokens and a health listener, used through the real `vlmc` CLI and
// vlmc-healthcheck, as a camera and a probe would. Certificates are made
// with openssl for the run; ports are picked free on 127.0.0.1.
#include <stdlib.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bench/subprocess.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/server_process.h"
#include "tests/util/certificate_test_suite.h"

namespace vlmc::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kCameraToken[] = "camera-token-0123456789";
constexpr char kSample[] = VLMC_SOURCE_DIR "/tests/data/kodim20.png";

bench::CommandResult RunTool(std::vector<std::string> argv) {
  absl::StatusOr<bench::CommandResult> result = bench::RunCommand(argv);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *result : bench::CommandResult{-1, ""};
}

class SecureCliTest : public CertificateTestSuite {
 protected:
  static void SetUpTestSuite() {
    CertificateTestSuite::SetUpTestSuite();
    if (HasFatalFailure()) return;
    absl::StatusOr<std::string> tokens = certs_->WriteFile(
        "tokens.txt", absl::StrCat("camera-1 ", kCameraToken,
                                   " Encode,EncodeStream,GetInfo\n"));
    ASSERT_TRUE(tokens.ok());
    absl::StatusOr<std::string> token_file =
        certs_->WriteFile("camera.token", absl::StrCat(kCameraToken, "\n"));
    ASSERT_TRUE(token_file.ok());
    token_file_ = new std::string(*token_file);

    absl::StatusOr<std::unique_ptr<ServerProcess>> server =
        ServerProcess::Start(
            VLMC_SERVER_BINARY,
            {"--listen", "127.0.0.1:0", "--metrics-listen", "off",
             "--health-listen", "127.0.0.1:0", "--workers", "1",
             "--torch-threads", "2", "--tls-cert", certs_->server_cert(),
             "--tls-key", certs_->server_key(), "--tls-client-ca",
             certs_->ca_cert(), "--auth-tokens", *tokens},
            certs_->WriteFile("server.log", "").value_or("/dev/null"));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete token_file_;
    CertificateTestSuite::TearDownTestSuite();
  }

  // `vlmc <command> ...` against the server with the client certificate.
  static std::vector<std::string> Vlmc(std::vector<std::string> args) {
    args.insert(args.begin(), VLMC_BINARY);
    for (const std::string& arg :
         {std::string("--server"), server_->address(), std::string("--tls-ca"),
          certs_->ca_cert(), std::string("--tls-cert"), certs_->client_cert(),
          std::string("--tls-key"), certs_->client_key()}) {
      args.push_back(arg);
    }
    return args;
  }

  // The health listener from "... metrics off health HOST:PORT".
  static std::string HealthAddress() {
    const std::vector<std::string> words =
        absl::StrSplit(server_->listening_line(), ' ');
    return words.size() >= 8 && words[6] == "health" ? words[7] : "";
  }

  static std::string* token_file_;
  static ServerProcess* server_;
};

std::string* SecureCliTest::token_file_ = nullptr;
ServerProcess* SecureCliTest::server_ = nullptr;

TEST_F(SecureCliTest, TokenFileOrEnvironmentGetsTheCameraThrough) {
  const std::string stream = certs_->WriteFile("out.vlmc", "").value_or("");
  bench::CommandResult encoded =
      RunTool(Vlmc({"encode", kSample, "-q", "0.3", "-o", stream,
                    "--token-file", *token_file_, "--deadline-ms", "60000"}));
  EXPECT_EQ(encoded.exit_code, 0) << encoded.output;
  EXPECT_THAT(encoded.output, HasSubstr("bpp"));

  ASSERT_EQ(setenv("VLMC_TOKEN", kCameraToken, 1), 0);
  bench::CommandResult info = RunTool(Vlmc({"info"}));
  unsetenv("VLMC_TOKEN");
  EXPECT_EQ(info.exit_code, 0) << info.output;
  EXPECT_THAT(info.output, HasSubstr("models:"));

  bench::CommandResult decoded = RunTool(Vlmc(
      {"decode", stream, "-o", stream + ".png", "--token-file", *token_file_}));
  EXPECT_EQ(decoded.exit_code, 1) << decoded.output;
  EXPECT_THAT(decoded.output,
              HasSubstr("vlmc decode: Decode at " + server_->address() +
                        ": client 'camera-1' may not call Decode"));
  EXPECT_THAT(decoded.output, Not(HasSubstr(kCameraToken)));
}

TEST_F(SecureCliTest, RefusalsReachTheUserInOneLine) {
  bench::CommandResult no_token = RunTool(Vlmc({"info"}));
  EXPECT_EQ(no_token.exit_code, 1) << no_token.output;
  EXPECT_THAT(no_token.output, HasSubstr("requires a bearer token"));

  // Without a client certificate the handshake fails.
  bench::CommandResult no_cert =
      RunTool({VLMC_BINARY, "info", "--server", server_->address(), "--tls-ca",
               certs_->ca_cert(), "--token-file", *token_file_, "--deadline-ms",
               "1500"});
  EXPECT_EQ(no_cert.exit_code, 1) << no_cert.output;
  // So does trusting only gRPC's default roots (--tls without --tls-ca).
  bench::CommandResult default_roots = RunTool(
      {VLMC_BINARY, "info", "--server", server_->address(), "--tls",
       "--tls-cert", certs_->client_cert(), "--tls-key", certs_->client_key(),
       "--token-file", *token_file_, "--deadline-ms", "1500"});
  EXPECT_EQ(default_roots.exit_code, 1) << default_roots.output;
  // Plaintext to a TLS port fails too.
  bench::CommandResult plaintext =
      RunTool({VLMC_BINARY, "info", "--server", server_->address(),
               "--token-file", *token_file_, "--deadline-ms", "1500"});
  EXPECT_EQ(plaintext.exit_code, 1) << plaintext.output;

  bench::CommandResult half_pair =
      RunTool({VLMC_BINARY, "info", "--server", server_->address(),
               "--tls-cert", certs_->client_cert()});
  EXPECT_EQ(half_pair.exit_code, 2) << half_pair.output;
  EXPECT_THAT(half_pair.output, HasSubstr("--tls-cert and --tls-key"));
  bench::CommandResult no_token_file =
      RunTool(Vlmc({"info", "--token-file", "/nonexistent/token"}));
  EXPECT_EQ(no_token_file.exit_code, 2) << no_token_file.output;
  EXPECT_THAT(no_token_file.output, HasSubstr("--token-file"));
}

TEST_F(SecureCliTest, HealthcheckAnswersOnThePlaintextHealthListener) {
  const std::string health = HealthAddress();
  ASSERT_FALSE(health.empty()) << server_->listening_line();
  bench::CommandResult probe =
      RunTool({VLMC_HEALTHCHECK_BINARY, "--address", health});
  EXPECT_EQ(probe.exit_code, 0) << probe.output;
  EXPECT_THAT(probe.output, HasSubstr("SERVING"));
  bench::CommandResult main_port =
      RunTool({VLMC_HEALTHCHECK_BINARY, "--address", server_->address(),
               "--timeout-seconds", "3"});
  EXPECT_EQ(main_port.exit_code, 1) << main_port.output;
}

TEST_F(SecureCliTest, UnusableSecurityFilesStopTheServerWithExitCode2) {
  absl::StatusOr<std::string> bad_tokens = certs_->WriteFile(
      "bad_tokens.txt", absl::StrCat("camera-1 ", kCameraToken, " Encdoe\n"));
  ASSERT_TRUE(bad_tokens.ok());
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"--tls-cert", certs_->server_cert()}, "go together"},
      {{"--tls-cert", certs_->server_cert(), "--tls-key", certs_->client_key()},
       "is not the private key of the certificate"},
      {{"--tls-cert", certs_->server_key(), "--tls-key", certs_->server_key()},
       "holds no PEM certificate"},
      {{"--auth-tokens", *bad_tokens}, "line 1: unknown method 'Encdoe'"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> argv = {VLMC_SERVER_BINARY, "--listen",
                                     "127.0.0.1:0", "--metrics-listen", "off"};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    bench::CommandResult result = RunTool(argv);
    EXPECT_EQ(result.exit_code, 2) << result.output;
    EXPECT_THAT(result.output, HasSubstr(c.message));
    EXPECT_THAT(result.output, Not(HasSubstr(kCameraToken)));
  }
}

TEST_F(SecureCliTest, ServerStopsCleanlyOnSigterm) {
  absl::StatusOr<int> exit_status = server_->Stop();
  ASSERT_TRUE(exit_status.ok()) << exit_status.status();
  EXPECT_EQ(*exit_status, 0);
}

}  // namespace
}  // namespace vlmc::testing
