#include "bench/subprocess.h"

#include <filesystem>

#include "bench/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vlmc::bench {
namespace {

using ::testing::HasSubstr;

TEST(SubprocessTest, PassesArgumentsVerbatim) {
  absl::StatusOr<CommandResult> r = RunCommand({"echo", "a b", "$HOME;", "*"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_EQ(r->output, "a b $HOME; *\n");
}

TEST(SubprocessTest, ReportsExitCodeAndCapturesStderr) {
  absl::StatusOr<CommandResult> r =
      RunCommand({"sh", "-c", "echo oops >&2; exit 3"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_EQ(r->output, "oops\n");
}

TEST(SubprocessTest, MissingToolIsNotFound) {
  absl::StatusOr<CommandResult> r = RunCommand({"vlmc-no-such-tool-xyz"});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(r.status().message(), HasSubstr("vlmc-no-such-tool-xyz"));
}

TEST(SubprocessTest, FormatsCommandLineWithQuotes) {
  EXPECT_EQ(FormatCommandLine(
                {"cjpeg", "-quality", "75", "/tmp/a b.ppm", "it's", ""}),
            "cjpeg -quality 75 '/tmp/a b.ppm' 'it'\\''s' ''");
}

TEST(SubprocessTest, TempDirIsPrivateAndRemoved) {
  std::string path;
  {
    absl::StatusOr<ScopedTempDir> dir = ScopedTempDir::Create("vlmc-test-");
    ASSERT_TRUE(dir.ok()) << dir.status();
    path = dir->path();
    const auto perms = std::filesystem::status(path).permissions();
    EXPECT_EQ(perms & std::filesystem::perms::all,
              std::filesystem::perms::owner_all);
    ScopedTempDir moved = std::move(*dir);
    ASSERT_TRUE(RunCommand({"touch", moved.File("x")}).ok());
    EXPECT_TRUE(std::filesystem::exists(moved.File("x")));
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace vlmc::bench
