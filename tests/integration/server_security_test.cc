// vlmc-server's transport security and access control in process, through
// real channels on 127.0.0.1: TLS, mutual TLS, bearer tokens on unary and
// streaming RPCs, and the plaintext health listener. The certificates are
// made with openssl for the test run.
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "client/codec_client.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "models/image/png_codec.h"
#include "server/healthcheck/health_probe.h"
#include "server/service_test_util.h"
#include "server/vlmc_server.h"
#include "tests/util/certificate_test_suite.h"

namespace vlmc::service {
namespace {

using healthcheck::CheckHealth;
using healthcheck::ServingState;
using healthcheck::ServingStateName;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kCameraToken[] = "camera-token-0123456789";
constexpr char kAdminToken[] = "admin-token-0123456789abcdef";

// Fails fast: one attempt, a short deadline.
ClientOptions QuickOptions() {
  ClientOptions options;
  options.timeout = absl::Seconds(20);
  options.retry.max_attempts = 1;
  return options;
}

ClientOptions TlsOptions(const std::string& ca_file) {
  ClientOptions options = QuickOptions();
  options.tls.enabled = true;
  options.tls.ca_file = ca_file;
  return options;
}

std::unique_ptr<CodecClient> Client(const std::string& target,
                                    const ClientOptions& options) {
  absl::StatusOr<std::unique_ptr<CodecClient>> client =
      CodecClient::Create(target, options);
  EXPECT_TRUE(client.ok()) << client.status();
  return client.ok() ? *std::move(client) : nullptr;
}

absl::StatusCode GetInfoCode(const std::string& target,
                             const ClientOptions& options) {
  std::unique_ptr<CodecClient> client = Client(target, options);
  if (client == nullptr) return absl::StatusCode::kUnknown;
  return client->GetInfo().status().code();
}

v1::EncodeRequest EncodeRequestOf(const image::Image& image) {
  v1::EncodeRequest request;
  request.mutable_image()->set_encoded(*image::EncodePng(image));
  request.mutable_rate()->set_quality(0.5);
  return request;
}

v1::DecodeRequest RawDecodeRequestOf(const std::string& stream) {
  v1::DecodeRequest request;
  request.set_stream(stream);
  request.set_format(v1::OUTPUT_FORMAT_RAW_RGB8);
  return request;
}

class SecurityTest : public vlmc::testing::CertificateTestSuite {
 protected:
  static void SetUpTestSuite() {
    CertificateTestSuite::SetUpTestSuite();
    if (HasFatalFailure()) return;
    absl::StatusOr<std::string> tokens = certs_->WriteFile(
        "tokens.txt",
        absl::StrCat("# test clients\n", "camera-1 ", kCameraToken,
                     " Encode,EncodeStream,GetInfo\n", "admin ", kAdminToken,
                     "\n"));
    ASSERT_TRUE(tokens.ok()) << tokens.status();

    // TLS with tokens and a health listener.
    ServerOptions options = testing::SmallServerOptions();
    options.tls_cert = certs_->server_cert();
    options.tls_key = certs_->server_key();
    options.auth_tokens = *tokens;
    options.health_listen = "127.0.0.1:0";
    absl::StatusOr<std::unique_ptr<VlmcServer>> server =
        VlmcServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    tls_server_ = server->release();

    // Mutual TLS, no tokens.
    options = testing::SmallServerOptions();
    options.metrics_listen.clear();
    options.tls_cert = certs_->server_cert();
    options.tls_key = certs_->server_key();
    options.tls_client_ca = certs_->ca_cert();
    server = VlmcServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    mtls_server_ = server->release();
  }
  static void TearDownTestSuite() {
    delete mtls_server_;
    delete tls_server_;
    CertificateTestSuite::TearDownTestSuite();
  }

  static const std::string& tls_target() {
    return tls_server_->listen_address();
  }
  static ClientOptions WithToken(ClientOptions options,
                                 const std::string& token) {
    options.bearer_token = token;
    return options;
  }
  // Small unary limits, so that Encode and Decode go through EncodeStream
  // and DecodeStream.
  static ClientOptions Chunked(ClientOptions options) {
    options.max_unary_bytes = 1024;
    options.stream_chunk_bytes = 512;
    return options;
  }

  static VlmcServer* tls_server_;
  static VlmcServer* mtls_server_;
};

VlmcServer* SecurityTest::tls_server_ = nullptr;
VlmcServer* SecurityTest::mtls_server_ = nullptr;

TEST_F(SecurityTest, TlsServerAcceptsTlsClientsAndRefusesPlaintext) {
  const ClientOptions tls =
      WithToken(TlsOptions(certs_->ca_cert()), kAdminToken);
  EXPECT_EQ(GetInfoCode(tls_target(), tls), absl::StatusCode::kOk);
  EXPECT_EQ(GetInfoCode(tls_target(), WithToken(QuickOptions(), kAdminToken)),
            absl::StatusCode::kUnavailable);
  // A client that does not trust the server's CA does not get through.
  EXPECT_EQ(
      GetInfoCode(tls_target(),
                  WithToken(TlsOptions(certs_->other_ca_cert()), kAdminToken)),
      absl::StatusCode::kUnavailable);
  // The certificate is checked against the name the client expects.
  ClientOptions renamed = tls;
  renamed.tls.server_name = "localhost";
  EXPECT_EQ(GetInfoCode(tls_target(), renamed), absl::StatusCode::kOk);
  renamed.tls.server_name = "vlmc-server.elsewhere.example";
  EXPECT_EQ(GetInfoCode(tls_target(), renamed), absl::StatusCode::kUnavailable);
}

TEST_F(SecurityTest, UnaryCallsNeedAKnownTokenAllowedTheMethod) {
  const ClientOptions tls = TlsOptions(certs_->ca_cert());
  const image::Image image = testing::TestImage(32);

  std::unique_ptr<CodecClient> anonymous = Client(tls_target(), tls);
  absl::StatusOr<v1::GetInfoResponse> info = anonymous->GetInfo();
  EXPECT_EQ(info.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(info.status().message(), HasSubstr("authorization: Bearer"));

  std::unique_ptr<CodecClient> wrong =
      Client(tls_target(), WithToken(tls, "camera-token-0123456780"));
  info = wrong->GetInfo();
  EXPECT_EQ(info.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(info.status().message(), Not(HasSubstr("camera-token")));

  std::unique_ptr<CodecClient> camera =
      Client(tls_target(), WithToken(tls, kCameraToken));
  EXPECT_TRUE(camera->GetInfo().ok());
  absl::StatusOr<v1::EncodeResponse> encoded =
      camera->Encode(EncodeRequestOf(image));
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  const v1::DecodeRequest decode = RawDecodeRequestOf(encoded->stream());
  absl::StatusOr<v1::DecodeResponse> decoded = camera->Decode(decode);
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(decoded.status().message(),
              HasSubstr("client 'camera-1' may not call Decode"));
  EXPECT_THAT(decoded.status().message(), Not(HasSubstr(kCameraToken)));

  std::unique_ptr<CodecClient> admin =
      Client(tls_target(), WithToken(tls, kAdminToken));
  EXPECT_TRUE(admin->Decode(decode).ok());
}

TEST_F(SecurityTest, StreamingCallsAreCheckedBeforeTheFirstChunk) {
  const ClientOptions tls = Chunked(TlsOptions(certs_->ca_cert()));
  const v1::EncodeRequest encode = EncodeRequestOf(testing::TestImage(32));

  std::unique_ptr<CodecClient> anonymous = Client(tls_target(), tls);
  EXPECT_EQ(anonymous->Encode(encode).status().code(),
            absl::StatusCode::kUnauthenticated);

  std::unique_ptr<CodecClient> camera =
      Client(tls_target(), WithToken(tls, kCameraToken));
  absl::StatusOr<v1::EncodeResponse> encoded = camera->Encode(encode);
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  const v1::DecodeRequest decode = RawDecodeRequestOf(encoded->stream());
  absl::StatusOr<v1::DecodeResponse> decoded = camera->Decode(decode);
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(decoded.status().message(), HasSubstr("DecodeStream"));

  std::unique_ptr<CodecClient> admin =
      Client(tls_target(), WithToken(tls, kAdminToken));
  decoded = admin->Decode(decode);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->data().size(), 32u * 32 * 3);
}

TEST_F(SecurityTest, RefusalsAreCountedByCode) {
  const prometheus::Registry& registry = *tls_server_->metrics().registry();
  const double before =
      testing::RequestCount(registry, "GetInfo", "UNAUTHENTICATED");
  EXPECT_EQ(GetInfoCode(tls_target(), TlsOptions(certs_->ca_cert())),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(testing::RequestCount(registry, "GetInfo", "UNAUTHENTICATED"),
            before + 1);
}

TEST_F(SecurityTest, HealthListenerServesPlaintextHealthOnly) {
  const std::string& health = tls_server_->health_address();
  ASSERT_FALSE(health.empty());
  for (const std::string service : {"", "vlmc.v1.VlmCodec"}) {
    absl::StatusOr<ServingState> state =
        CheckHealth(health, service, absl::Seconds(10));
    ASSERT_TRUE(state.ok()) << state.status();
    EXPECT_EQ(*state, ServingState::kServing) << service;
  }
  // The main port speaks TLS only, so a plaintext probe cannot reach it.
  EXPECT_FALSE(CheckHealth(tls_target(), "", absl::Seconds(10)).ok());
  // Nothing but health on the health port.
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateChannel(health, grpc::InsecureChannelCredentials());
  EXPECT_EQ(testing::RawUnaryCall(*channel, "/vlmc.v1.VlmCodec/GetInfo", "")
                .status()
                .code(),
            absl::StatusCode::kUnimplemented);
  EXPECT_EQ(testing::ReflectionListServices(*channel).status().code(),
            absl::StatusCode::kUnimplemented);
}

TEST_F(SecurityTest, MutualTlsNeedsAClientCertificateFromTheTrustedCa) {
  const std::string& target = mtls_server_->listen_address();
  ClientOptions options = TlsOptions(certs_->ca_cert());
  EXPECT_EQ(GetInfoCode(target, options), absl::StatusCode::kUnavailable);
  options.tls.cert_file = certs_->other_client_cert();
  options.tls.key_file = certs_->other_client_key();
  EXPECT_EQ(GetInfoCode(target, options), absl::StatusCode::kUnavailable);
  options.tls.cert_file = certs_->client_cert();
  options.tls.key_file = certs_->client_key();
  EXPECT_EQ(GetInfoCode(target, options), absl::StatusCode::kOk);
}

TEST_F(SecurityTest, ClientRefusesUnusableTlsFilesAtCreate) {
  ClientOptions options = TlsOptions(certs_->server_key());
  absl::StatusOr<std::unique_ptr<CodecClient>> client =
      CodecClient::Create(tls_target(), options);
  EXPECT_EQ(client.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(client.status().message(), HasSubstr("TLS CA file"));
  options = TlsOptions(certs_->ca_cert());
  options.tls.cert_file = certs_->client_cert();
  options.tls.key_file = certs_->server_key();
  client = CodecClient::Create(tls_target(), options);
  EXPECT_EQ(client.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(client.status().message(),
              HasSubstr("is not the private key of the certificate"));
}

// The health listener follows the main server into the drain: NOT_SERVING
// while a call is still being served.
TEST(HealthListenerTest, ReportsNotServingDuringTheDrain) {
  ServerOptions options = testing::SmallServerOptions();
  options.metrics_listen.clear();
  options.health_listen = "127.0.0.1:0";
  absl::StatusOr<std::unique_ptr<VlmcServer>> server =
      VlmcServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string health = (*server)->health_address();

  // Occupy the only worker so that a call stays in flight.
  std::promise<void> started, release;
  WorkQueue::Job blocker;
  blocker.run = [&] {
    started.set_value();
    release.get_future().wait();
  };
  blocker.skip = [](const absl::Status&) {};
  ASSERT_TRUE((*server)->work_queue().Submit(std::move(blocker)).ok());
  started.get_future().wait();
  std::unique_ptr<CodecClient> client =
      Client((*server)->listen_address(), QuickOptions());
  std::future<absl::StatusOr<v1::EncodeResponse>> in_flight = std::async(
      std::launch::async,
      [&] { return client->Encode(EncodeRequestOf(testing::TestImage(32))); });
  // Wait until the call is queued behind the blocker.
  for (int i = 0; i < 2000 && (*server)->work_queue().queue_depth() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ((*server)->work_queue().queue_depth(), 1u);

  std::thread drain([&] { (*server)->Shutdown(absl::Seconds(30)); });
  absl::StatusOr<ServingState> state;
  for (int i = 0; i < 200; ++i) {
    state = CheckHealth(health, "", absl::Seconds(5));
    if (state.ok() && *state == ServingState::kNotServing) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(state.ok() && *state == ServingState::kNotServing)
      << (state.ok() ? ServingStateName(*state) : state.status().ToString());
  release.set_value();
  drain.join();
  EXPECT_TRUE(in_flight.get().ok());
  EXPECT_FALSE(CheckHealth(health, "", absl::Seconds(5)).ok());  // closed
}

}  // namespace
}  // namespace vlmc::service
