#include "server/server_options.h"

#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vlmc::service {
namespace {

using ::testing::HasSubstr;

ServerOptions::EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

absl::StatusOr<ServerOptions> Parse(
    std::vector<std::string> args,
    std::map<std::string, std::string> env = {}) {
  return ServerOptions::Create(args, FakeEnv(std::move(env)));
}

// The comma-separated `ids` in order, without `model_id`.
std::vector<std::string> ExtraIdsWithout(const std::string& ids,
                                         const std::string& model_id) {
  std::vector<std::string> out;
  std::stringstream in(ids);
  for (std::string id; std::getline(in, id, ',');) {
    if (id != model_id) out.push_back(id);
  }
  return out;
}

TEST(ServerOptionsTest, DefaultsServeTheShippedModelLocally) {
  absl::StatusOr<ServerOptions> options = Parse({});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->listen, "127.0.0.1:50051");
  EXPECT_EQ(options->metrics_listen, "127.0.0.1:9464");
  EXPECT_EQ(options->model_root, VLMC_DEFAULT_MODEL_ROOT);
  EXPECT_EQ(options->model_id, VLMC_DEFAULT_MODEL_ID);
  EXPECT_EQ(options->extra_model_ids,
            ExtraIdsWithout(VLMC_EXTRA_MODEL_IDS, VLMC_DEFAULT_MODEL_ID));
  EXPECT_EQ(options->model_version, std::stoi(VLMC_DEFAULT_MODEL_VERSION));
  EXPECT_EQ(options->device, DeviceChoice::kAuto);
  EXPECT_EQ(options->synthesis, codec::SynthesisPrecision::kFloat32);
  EXPECT_EQ(options->png_compression_level, 1);
  EXPECT_EQ(options->max_message_bytes, 4 << 20);
  EXPECT_EQ(options->max_image_pixels, 1 << 24);
  EXPECT_EQ(options->max_image_dimension, 16384);
  EXPECT_GE(options->workers, 1);
  EXPECT_GE(options->queue_capacity, 1);
  EXPECT_GE(options->max_batch, 1);
  EXPECT_EQ(options->batch_window_us, 0);
  EXPECT_EQ(options->semantic_model_dir, "");
  EXPECT_GT(options->shutdown_grace_seconds, 0);
}

TEST(ServerOptionsTest, FlagsInBothSpellings) {
  absl::StatusOr<ServerOptions> options = Parse(
      {"--listen", "0.0.0.0:0", "--workers=3", "--queue-capacity", "5",
       "--max-batch=2", "--device", "cpu", "--model-version", "1",
       "--shutdown-grace-seconds=0.5", "--torch-threads", "1",
       "--batch-window-us", "0", "--synthesis=float64", "--png-level", "9"});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->listen, "0.0.0.0:0");
  EXPECT_EQ(options->workers, 3);
  EXPECT_EQ(options->queue_capacity, 5);
  EXPECT_EQ(options->max_batch, 2);
  EXPECT_EQ(options->batch_window_us, 0);
  EXPECT_EQ(options->device, DeviceChoice::kCpu);
  EXPECT_EQ(options->synthesis, codec::SynthesisPrecision::kFloat64);
  EXPECT_EQ(options->png_compression_level, 9);
  EXPECT_EQ(options->model_version, 1);
  EXPECT_DOUBLE_EQ(options->shutdown_grace_seconds, 0.5);
  EXPECT_EQ(options->torch_threads, 1);
}

TEST(ServerOptionsTest, ExtraModelsDropTheServedIdAndRepeats) {
  absl::StatusOr<ServerOptions> options =
      Parse({"--model", "a", "--extra-models", "b, a,c,b"});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->extra_model_ids, (std::vector<std::string>{"b", "c"}));
  options = Parse({"--extra-models", "none"});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_TRUE(options->extra_model_ids.empty());
  options = Parse({}, {{"VLMC_EXTRA_MODEL_IDS", "x1"}});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->extra_model_ids, (std::vector<std::string>{"x1"}));
}

TEST(ServerOptionsTest, EnvironmentReplacesDefaultsAndFlagsWin) {
  absl::StatusOr<ServerOptions> options =
      Parse({"--workers", "4"}, {{"VLMC_WORKERS", "7"},
                                 {"VLMC_QUEUE_CAPACITY", "9"},
                                 {"VLMC_LISTEN", "[::1]:6000"},
                                 {"VLMC_MODEL_ID", "other-model"},
                                 {"VLMC_SEMANTIC_MODEL_DIR", "/models"},
                                 {"VLMC_BATCH_WINDOW_US", "500"}});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->batch_window_us, 500);
  EXPECT_EQ(options->workers, 4);
  EXPECT_EQ(options->queue_capacity, 9);
  EXPECT_EQ(options->listen, "[::1]:6000");
  EXPECT_EQ(options->model_id, "other-model");
  EXPECT_EQ(options->semantic_model_dir, "/models");
}

TEST(ServerOptionsTest, EmptyEnvironmentVariableCountsAsUnset) {
  absl::StatusOr<ServerOptions> options = Parse({}, {{"VLMC_WORKERS", ""}});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->workers, 2);
}

TEST(ServerOptionsTest, MetricsOffByFlagOrEnvironment) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"--metrics-listen", "off"},
                                             {"--metrics-listen="}}) {
    absl::StatusOr<ServerOptions> options = Parse(args);
    ASSERT_TRUE(options.ok()) << options.status();
    EXPECT_EQ(options->metrics_listen, "");
  }
  absl::StatusOr<ServerOptions> options =
      Parse({}, {{"VLMC_METRICS_LISTEN", "off"}});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->metrics_listen, "");
}

TEST(ServerOptionsTest, SecurityAndHealthListenerFlags) {
  absl::StatusOr<ServerOptions> options = Parse({});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->health_listen, "");
  EXPECT_EQ(options->tls_cert, "");
  EXPECT_EQ(options->tls_key, "");
  EXPECT_EQ(options->tls_client_ca, "");
  EXPECT_EQ(options->auth_tokens, "");

  options = Parse({"--tls-cert", "/tls/tls.crt", "--tls-client-ca",
                   "/tls/ca.crt", "--health-listen", "0.0.0.0:8081"},
                  {{"VLMC_TLS_KEY", "/tls/tls.key"},
                   {"VLMC_TLS_CERT", "/ignored.crt"},
                   {"VLMC_AUTH_TOKENS", "/auth/tokens"}});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->tls_cert, "/tls/tls.crt");
  EXPECT_EQ(options->tls_key, "/tls/tls.key");
  EXPECT_EQ(options->tls_client_ca, "/tls/ca.crt");
  EXPECT_EQ(options->auth_tokens, "/auth/tokens");
  EXPECT_EQ(options->health_listen, "0.0.0.0:8081");

  options = Parse({"--health-listen", "off"});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->health_listen, "");
}

TEST(ServerOptionsTest, BadValuesNameTheFlagAndItsVariable) {
  struct Case {
    std::vector<std::string> args;
    std::map<std::string, std::string> env;
    std::string expected;
  };
  const Case cases[] = {
      {{"--workers", "0"}, {}, "--workers (VLMC_WORKERS)"},
      {{"--workers", "many"}, {}, "'many'"},
      {{}, {{"VLMC_QUEUE_CAPACITY", "-1"}}, "VLMC_QUEUE_CAPACITY"},
      {{"--listen", "localhost"}, {}, "HOST:PORT"},
      {{"--listen", "127.0.0.1:70000"}, {}, "--listen"},
      {{"--listen", "::1:50051"}, {}, "brackets"},
      {{"--metrics-listen", ":9464"}, {}, "--metrics-listen"},
      {{"--device", "tpu"}, {}, "cpu, cuda or auto"},
      {{}, {{"VLMC_SYNTHESIS", "fp32"}}, "float32, float64 or float16"},
      {{"--model", "Bad Id"}, {}, "[a-z0-9._-]"},
      {{"--extra-models", "ok,Bad"},
       {},
       "--extra-models (VLMC_EXTRA_MODEL_IDS)"},
      {{"--extra-models", "a,,b"}, {}, "--extra-models"},
      {{"--max-image-pixels", "99999999999"}, {}, "--max-image-pixels"},
      {{"--max-image-dimension", "20000"}, {}, "16384"},
      {{"--max-message-bytes", "10"}, {}, "--max-message-bytes"},
      {{"--shutdown-grace-seconds", "-1"}, {}, "[0, 3600]"},
      {{"--batch-window-us", "-1"}, {}, "--batch-window-us"},
      {{"--png-level", "10"}, {}, "--png-level (VLMC_PNG_LEVEL)"},
      {{}, {{"VLMC_BATCH_WINDOW_US", "2000000"}}, "[0, 1000000]"},
      {{"--model-root="}, {}, "--model-root"},
      {{"--health-listen", "8081"}, {}, "--health-listen (VLMC_HEALTH_LISTEN)"},
      {{"--tls-cert", "a.crt"},
       {},
       "--tls-cert (VLMC_TLS_CERT) and --tls-key (VLMC_TLS_KEY) go together; "
       "only --tls-cert (VLMC_TLS_CERT) is set"},
      {{}, {{"VLMC_TLS_KEY", "a.key"}}, "only --tls-key (VLMC_TLS_KEY) is set"},
      {{"--tls-client-ca", "ca.crt"},
       {},
       "--tls-client-ca (VLMC_TLS_CLIENT_CA) needs --tls-cert"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<ServerOptions> options = Parse(c.args, c.env);
    ASSERT_FALSE(options.ok()) << c.expected;
    EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(options.status().message()), HasSubstr(c.expected));
    EXPECT_EQ(std::string(options.status().message()).find('\n'),
              std::string::npos);
  }
}

TEST(ServerOptionsTest, UnknownFlagsAndStrayArgumentsAreRefused) {
  absl::StatusOr<ServerOptions> options = Parse({"--wokers", "2"});
  ASSERT_FALSE(options.ok());
  EXPECT_THAT(std::string(options.status().message()),
              HasSubstr("unknown flag --wokers"));
  options = Parse({"serve"});
  ASSERT_FALSE(options.ok());
  EXPECT_THAT(std::string(options.status().message()),
              HasSubstr("unexpected argument 'serve'"));
  options = Parse({"--listen"});
  ASSERT_FALSE(options.ok());
  EXPECT_THAT(std::string(options.status().message()), HasSubstr("value"));
}

TEST(ServerOptionsTest, HelpListsEveryFlagWithItsVariable) {
  EXPECT_TRUE(ServerOptions::HelpRequested({"--workers", "2", "--help"}));
  EXPECT_TRUE(ServerOptions::HelpRequested({"-h"}));
  EXPECT_FALSE(ServerOptions::HelpRequested({"--workers", "2"}));
  const std::string help = ServerOptions::Help();
  for (const char* text : {"--listen",
                           "VLMC_LISTEN",
                           "--metrics-listen",
                           "VLMC_METRICS_LISTEN",
                           "--model-root",
                           "VLMC_MODEL_ROOT",
                           "--model ",
                           "VLMC_MODEL_ID",
                           "--model-version",
                           "VLMC_MODEL_VERSION",
                           "--extra-models",
                           "VLMC_EXTRA_MODEL_IDS",
                           "--workers",
                           "VLMC_WORKERS",
                           "--torch-threads",
                           "VLMC_TORCH_THREADS",
                           "--queue-capacity",
                           "VLMC_QUEUE_CAPACITY",
                           "--max-batch",
                           "VLMC_MAX_BATCH",
                           "--batch-window-us",
                           "VLMC_BATCH_WINDOW_US",
                           "--device",
                           "VLMC_DEVICE",
                           "--semantic-model-dir",
                           "VLMC_SEMANTIC_MODEL_DIR",
                           "--max-message-bytes",
                           "VLMC_MAX_MESSAGE_BYTES",
                           "--max-image-pixels",
                           "VLMC_MAX_IMAGE_PIXELS",
                           "--max-image-dimension",
                           "VLMC_MAX_IMAGE_DIMENSION",
                           "--shutdown-grace-seconds",
                           "VLMC_SHUTDOWN_GRACE_SECONDS",
                           "--health-listen",
                           "VLMC_HEALTH_LISTEN",
                           "--tls-cert",
                           "VLMC_TLS_CERT",
                           "--tls-key",
                           "VLMC_TLS_KEY",
                           "--tls-client-ca",
                           "VLMC_TLS_CLIENT_CA",
                           "--auth-tokens",
                           "VLMC_AUTH_TOKENS",
                           "default: 127.0.0.1:50051",
                           "share one synthesis pass",
                           "VLMC_WITH_CUDA"}) {
    EXPECT_THAT(help, HasSubstr(text));
  }
}

}  // namespace
}  // namespace vlmc::service
