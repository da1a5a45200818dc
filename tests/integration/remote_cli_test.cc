// The real `vlmc` against a real vlmc-lvlm-ref on 127.0.0.1 (a port picked
// at run time). Needs the detector models; skips without them.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "bench/subprocess.h"
#include "gtest/gtest.h"
#include "models/semantic/detector.h"
#include "nlohmann/json.hpp"
#include "tests/integration/server_process.h"

namespace vlmc::testing {
namespace {

// `vlmc` with space-separated `args`; stdout and stderr together.
bench::CommandResult RunVlmc(const std::string& args) {
  std::vector<std::string> argv = {VLMC_BINARY};
  for (absl::string_view arg : absl::StrSplit(args, ' ', absl::SkipEmpty())) {
    argv.emplace_back(arg);
  }
  absl::StatusOr<bench::CommandResult> result = bench::RunCommand(argv);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *result : bench::CommandResult{-1, ""};
}

// A vlmc-server on a free loopback port, logging to DIR/vlmc-server.log.
absl::StatusOr<std::unique_ptr<ServerProcess>> StartCodecServer(
    const std::string& dir) {
  return ServerProcess::Start(VLMC_SERVER_BINARY,
                              {"--listen", "127.0.0.1:0", "--metrics-listen",
                               "off", "--workers", "1", "--torch-threads", "2"},
                              dir + "/vlmc-server.log");
}

class RemoteCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(semantic::DefaultSemanticModelDir() +
                                 "/centernet.json")) {
      GTEST_SKIP() << "detector models not fetched (scripts/fetch-models.sh)";
    }
    absl::StatusOr<std::unique_ptr<ServerProcess>> server =
        ServerProcess::Start(
            VLMC_LVLM_REF_BINARY, {"--listen", "127.0.0.1:0", "--threads", "2"},
            std::filesystem::temp_directory_path() /
                ("vlmc_lvlm_ref_" + std::to_string(getpid()) + ".log"));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    port_ = server_->address().substr(server_->address().rfind(':') + 1);
  }

  std::unique_ptr<ServerProcess> server_;
  std::string port_;
};

TEST_F(RemoteCliTest, ServerStopsCleanlyOnSigterm) {
  absl::StatusOr<int> exit_status = server_->Stop();
  ASSERT_TRUE(exit_status.ok()) << exit_status.status();
  EXPECT_EQ(*exit_status, 0);
}

TEST_F(RemoteCliTest, DetectThroughTheServerMatchesDetectHere) {
  const std::string image = std::string(VLMC_SOURCE_DIR) +
                            "/tests/data/semantic/inputs/"
                            "centernet_000000000071.png";
  bench::CommandResult here =
      RunVlmc("detect " + image + " --json --threads 2");
  bench::CommandResult remote =
      RunVlmc("detect " + image + " --json --server 127.0.0.1:" + port_ +
              " --deadline-ms 60000");
  ASSERT_EQ(here.exit_code, 0) << here.output;
  ASSERT_EQ(remote.exit_code, 0) << remote.output;
  const nlohmann::json expected = nlohmann::json::parse(here.output);
  const nlohmann::json got = nlohmann::json::parse(remote.output);
  ASSERT_FALSE(expected.empty());
  ASSERT_EQ(got.size(), expected.size()) << remote.output;
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].at("class"), expected[i].at("class"));
    EXPECT_NEAR(got[i].at("score").get<double>(),
                expected[i].at("score").get<double>(), 1e-3);
    for (int k = 0; k < 4; ++k) {
      EXPECT_NEAR(got[i].at("box")[k].get<double>(),
                  expected[i].at("box")[k].get<double>(), 0.5);
    }
  }
}

TEST_F(RemoteCliTest, ServerErrorsReachTheUserInOneLine) {
  const std::string not_an_image =
      std::filesystem::temp_directory_path() /
      ("vlmc_remote_cli_" + std::to_string(getpid()) + ".png");
  FILE* f = fopen(not_an_image.c_str(), "w");
  ASSERT_NE(f, nullptr);
  fputs("not an image", f);
  fclose(f);
  bench::CommandResult r =
      RunVlmc("detect " + not_an_image + " --server 127.0.0.1:" + port_);
  std::filesystem::remove(not_an_image);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_EQ(r.output.rfind("vlmc detect: Infer at 127.0.0.1:" + port_, 0), 0u)
      << r.output;
  EXPECT_NE(r.output.find("PNG or JPEG"), std::string::npos) << r.output;
}

// The whole chain through the CLI: camera-side Encode on vlmc-server, then
// decode there and forward to vlmc-lvlm-ref. The answer must be what the
// same detector finds in the same stream decoded here.
TEST_F(RemoteCliTest, ForwardThroughBothServersMatchesLocalDecodeAndDetect) {
  const std::string dir = std::filesystem::temp_directory_path() /
                          ("vlmc_chain_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  absl::StatusOr<std::unique_ptr<ServerProcess>> codec_server =
      StartCodecServer(dir);
  ASSERT_TRUE(codec_server.ok()) << codec_server.status();
  const std::string codec = (*codec_server)->address();
  const std::string image = std::string(VLMC_SOURCE_DIR) +
                            "/tests/data/semantic/inputs/"
                            "centernet_000000000071.png";
  const std::string stream = dir + "/sample.vlmc";
  const std::string decoded = dir + "/sample.png";

  bench::CommandResult encoded =
      RunVlmc("encode " + image + " -q 0.6 -o " + stream + " --server " +
              codec + " --deadline-ms 60000");
  ASSERT_EQ(encoded.exit_code, 0) << encoded.output;
  bench::CommandResult forwarded =
      RunVlmc("forward " + stream + " --server " + codec +
              " --lvlm 127.0.0.1:" + port_ +
              " --task detect --json --deadline-ms 60000");
  ASSERT_EQ(forwarded.exit_code, 0) << forwarded.output;
  ASSERT_EQ(RunVlmc("decode " + stream + " -o " + decoded).exit_code, 0);
  bench::CommandResult here =
      RunVlmc("detect " + decoded + " --json --threads 2");
  ASSERT_EQ(here.exit_code, 0) << here.output;

  const nlohmann::json answer = nlohmann::json::parse(forwarded.output);
  const nlohmann::json expected = nlohmann::json::parse(here.output);
  const nlohmann::json& boxes = answer.at("boxes");
  ASSERT_FALSE(expected.empty()) << "the fixture should show objects";
  ASSERT_EQ(boxes.size(), expected.size()) << forwarded.output;
  for (size_t i = 0; i < boxes.size(); ++i) {
    EXPECT_EQ(boxes[i].at("class"), expected[i].at("class"));
    EXPECT_NEAR(boxes[i].at("score").get<double>(),
                expected[i].at("score").get<double>(), 1e-3);
  }
  std::filesystem::remove_all(dir);
}

// Rate and task targets through EncodeForTask / Encode on vlmc-server: each
// is met and reported, and one no stream meets is one line.
TEST_F(RemoteCliTest, TargetsThroughTheServerAreMetAndReported) {
  const std::string dir = std::filesystem::temp_directory_path() /
                          ("vlmc_targets_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  absl::StatusOr<std::unique_ptr<ServerProcess>> codec_server =
      StartCodecServer(dir);
  ASSERT_TRUE(codec_server.ok()) << codec_server.status();
  const std::string server = " --server " + (*codec_server)->address() +
                             " --deadline-ms 120000 -o " + dir + "/t.vlmc";
  const std::string image = std::string(VLMC_SOURCE_DIR) +
                            "/tests/data/semantic/inputs/"
                            "centernet_000000000071.png";
  const struct {
    std::string flags;
    std::string report;
  } cases[] = {
      {"--bpp 0.1", "target bpp <= 0.1: target_met yes, passes "},
      {"--max-bytes 5000", "target bytes <= 5000: target_met yes, passes "},
      // The default model (vlmc-task v4) tops out at agreement 0.906 on this
      // image (v3: 0.897).
      {"--task detect --fidelity 0.85",
       "target detection agreement >= 0.85: target_met yes, passes "},
  };
  for (const auto& c : cases) {
    bench::CommandResult r =
        RunVlmc("encode " + image + " " + c.flags + server);
    ASSERT_EQ(r.exit_code, 0) << c.flags << ": " << r.output;
    EXPECT_NE(r.output.find(c.report), std::string::npos)
        << c.flags << ": " << r.output;
  }
  EXPECT_LE(std::filesystem::file_size(dir + "/t.vlmc") * 8.0 / (512 * 512),
            0.5);  // the task target's stream is far below the raw image
  bench::CommandResult impossible =
      RunVlmc("encode " + image + " --max-bytes 10" + server);
  EXPECT_EQ(impossible.exit_code, 1) << impossible.output;
  EXPECT_EQ(
      impossible.output.rfind("vlmc encode: target bytes <= 10 not met", 0), 0u)
      << impossible.output;
  EXPECT_EQ(
      std::count(impossible.output.begin(), impossible.output.end(), '\n'), 1)
      << impossible.output;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vlmc::testing
