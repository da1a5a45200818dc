// The real `vlmc` against a real vlmc-lvlm-ref on 127.0.0.1 (a port picked
// at run time). Needs the detector models; skips without them.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace {

constexpr char kListeningPrefix[] = "vlmc-lvlm-ref: listening on 127.0.0.1:";

std::string SemanticModelDir() {
  if (const char* dir = std::getenv("VLMC_MODEL_CACHE")) return dir;
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const std::string cache = xdg != nullptr
                                ? std::string(xdg)
                                : std::string(std::getenv("HOME")) + "/.cache";
  return cache + "/vlmc/human-models-3.0.4";
}

struct Result {
  int exit_code;
  std::string output;
};

Result RunVlmc(const std::string& args) {
  const std::string command = std::string(VLMC_BINARY) + " " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof(buffer), pipe))
    output.append(buffer, n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

// vlmc-lvlm-ref --listen 127.0.0.1:0, with its stdout on a pipe.
class LvlmRefProcess {
 public:
  LvlmRefProcess() {
    int fds[2];
    if (pipe(fds) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], STDOUT_FILENO);
      close(fds[0]);
      close(fds[1]);
      execl(VLMC_LVLM_REF_BINARY, VLMC_LVLM_REF_BINARY, "--listen",
            "127.0.0.1:0", "--threads", "2", static_cast<char*>(nullptr));
      _exit(127);
    }
    close(fds[1]);
    stdout_ = fdopen(fds[0], "r");
  }
  ~LvlmRefProcess() {
    if (pid_ > 0) Stop();
    if (stdout_ != nullptr) fclose(stdout_);
  }

  // The first stdout line, without its newline ("" if the process ended).
  std::string ReadLine() {
    char line[256] = {0};
    if (stdout_ == nullptr || fgets(line, sizeof(line), stdout_) == nullptr)
      return "";
    std::string text(line);
    if (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
  }

  // SIGTERM, then the exit code (-1 if it did not exit normally).
  int Stop() {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
  FILE* stdout_ = nullptr;
};

class RemoteCliTest : public testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(SemanticModelDir() + "/centernet.json")) {
      GTEST_SKIP() << "detector models not fetched (scripts/fetch-models.sh)";
    }
    const std::string line = server_.ReadLine();
    ASSERT_EQ(line.rfind(kListeningPrefix, 0), 0u) << "'" << line << "'";
    port_ = line.substr(sizeof(kListeningPrefix) - 1);
    ASSERT_GT(std::atoi(port_.c_str()), 0) << line;
  }

  LvlmRefProcess server_;
  std::string port_;
};

TEST_F(RemoteCliTest, ServerStopsCleanlyOnSigterm) {
  EXPECT_EQ(server_.Stop(), 0);
}

TEST_F(RemoteCliTest, DetectThroughTheServerMatchesDetectHere) {
  const std::string image = std::string(VLMC_SOURCE_DIR) +
                            "/tests/data/semantic/inputs/"
                            "centernet_000000000071.png";
  Result here = RunVlmc("detect " + image + " --json --threads 2");
  Result remote =
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
  Result r = RunVlmc("detect " + not_an_image + " --server 127.0.0.1:" + port_);
  std::filesystem::remove(not_an_image);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_EQ(r.output.rfind("vlmc detect: Infer at 127.0.0.1:" + port_, 0), 0u)
      << r.output;
  EXPECT_NE(r.output.find("PNG or JPEG"), std::string::npos) << r.output;
}

}  // namespace
