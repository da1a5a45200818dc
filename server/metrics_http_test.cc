#include "server/metrics_http.h"

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prometheus/counter.h"
#include "tests/integration/http_get.h"

namespace vlmc::service {
namespace {

using ::testing::HasSubstr;

TEST(MetricsHttpServerTest, ServesTheRegistryAtSlashMetrics) {
  auto registry = std::make_shared<prometheus::Registry>();
  prometheus::BuildCounter()
      .Name("test_things_total")
      .Help("things")
      .Register(*registry)
      .Add({{"kind", "a"}})
      .Increment(3);
  absl::StatusOr<std::unique_ptr<MetricsHttpServer>> server =
      MetricsHttpServer::Start("127.0.0.1:0", registry);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_THAT((*server)->address(), HasSubstr("127.0.0.1:"));
  EXPECT_NE((*server)->address(), "127.0.0.1:0");

  absl::StatusOr<std::string> body =
      vlmc::testing::HttpGet((*server)->address(), "/metrics");
  ASSERT_TRUE(body.ok()) << body.status();
  EXPECT_THAT(*body, HasSubstr("test_things_total{kind=\"a\"} 3"));

  absl::StatusOr<std::string> other =
      vlmc::testing::HttpGet((*server)->address(), "/");
  EXPECT_THAT(std::string(other.status().message()), HasSubstr("404"));
}

TEST(MetricsHttpServerTest, BusyOrBadAddressIsUnavailable) {
  auto registry = std::make_shared<prometheus::Registry>();
  absl::StatusOr<std::unique_ptr<MetricsHttpServer>> first =
      MetricsHttpServer::Start("127.0.0.1:0", registry);
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<std::unique_ptr<MetricsHttpServer>> second =
      MetricsHttpServer::Start((*first)->address(), registry);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(second.status().message()),
              HasSubstr((*first)->address()));
  second = MetricsHttpServer::Start("no-such-host.invalid:0", registry);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace vlmc::service
