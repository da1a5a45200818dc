#include "server/healthcheck/health_probe.h"

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "vlmc/v1/codec.grpc.pb.h"

namespace vlmc::healthcheck {
namespace {

// The state, or kUnknown with the failure logged, so a failed call fails the
// expectation with its reason.
ServingState StateOf(const absl::StatusOr<ServingState>& state) {
  if (!state.ok()) {
    ADD_FAILURE() << state.status();
    return ServingState::kUnknown;
  }
  return *state;
}

// A server with grpc++'s default health service on a free loopback port.
// gRPC refuses to start a server without a service, so it also carries the
// VlmCodec service with nothing implemented.
class HealthProbeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    builder.RegisterService(&unimplemented_codec_);
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_GT(port, 0);
    address_ = absl::StrCat("127.0.0.1:", port);
  }
  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  vlmc::v1::VlmCodec::CallbackService unimplemented_codec_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
};

TEST_F(HealthProbeTest, ReportsServingAndNotServing) {
  EXPECT_EQ(StateOf(CheckHealth(address_, "", absl::Seconds(5))),
            ServingState::kServing);
  server_->GetHealthCheckService()->SetServingStatus(false);
  EXPECT_EQ(StateOf(CheckHealth(address_, "", absl::Seconds(5))),
            ServingState::kNotServing);
}

TEST_F(HealthProbeTest, NamedServices) {
  server_->GetHealthCheckService()->SetServingStatus("vlmc.v1.VlmCodec", true);
  EXPECT_EQ(
      StateOf(CheckHealth(address_, "vlmc.v1.VlmCodec", absl::Seconds(5))),
      ServingState::kServing);
  EXPECT_EQ(StateOf(CheckHealth(address_, "no.such.Service", absl::Seconds(5))),
            ServingState::kServiceUnknown);
}

TEST_F(HealthProbeTest, NothingListeningIsUnavailableWithoutWaiting) {
  const std::string address = address_;
  server_->Shutdown();
  server_.reset();
  const absl::Time start = absl::Now();
  absl::StatusOr<ServingState> state =
      CheckHealth(address, "", absl::Seconds(30));
  EXPECT_EQ(state.status().code(), absl::StatusCode::kUnavailable)
      << state.status();
  EXPECT_LT(absl::Now() - start, absl::Seconds(30));
}

TEST(ServingStateName, NamesEveryState) {
  EXPECT_STREQ(ServingStateName(ServingState::kServing), "SERVING");
  EXPECT_STREQ(ServingStateName(ServingState::kNotServing), "NOT_SERVING");
  EXPECT_STREQ(ServingStateName(ServingState::kServiceUnknown),
               "SERVICE_UNKNOWN");
  EXPECT_STREQ(ServingStateName(ServingState::kUnknown), "UNKNOWN");
}

}  // namespace
}  // namespace vlmc::healthcheck
