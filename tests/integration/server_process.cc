#include "tests/integration/server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"

extern char** environ;

namespace vlmc::testing {
namespace {

constexpr char kListeningMarker[] = ": listening on ";

int ExitStatus(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return -1;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::Start(
    const std::string& binary, const std::vector<std::string>& args,
    const std::string& stderr_path, absl::Duration startup_timeout) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return absl::InternalError(absl::StrCat("pipe: ", std::strerror(errno)));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null",
                                   O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> argv_strings = {binary};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_strings) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, binary.c_str(), &actions, nullptr,
                                  argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  if (spawned != 0) {
    close(pipe_fds[0]);
    return absl::InternalError(
        absl::StrCat("spawn ", binary, ": ", std::strerror(spawned)));
  }
  std::unique_ptr<ServerProcess> process(new ServerProcess(pid, pipe_fds[0]));

  // Read stdout until the listening line, the process ending, or timeout.
  std::string seen;
  const absl::Time give_up = absl::Now() + startup_timeout;
  while (true) {
    const size_t marker = seen.find(kListeningMarker);
    const size_t line_end =
        marker == std::string::npos ? marker : seen.find('\n', marker);
    if (line_end != std::string::npos) {
      const size_t line_start = seen.rfind('\n', marker);
      process->listening_line_ = seen.substr(
          line_start == std::string::npos ? 0 : line_start + 1,
          line_end - (line_start == std::string::npos ? 0 : line_start + 1));
      const size_t address_start = marker + std::strlen(kListeningMarker);
      const size_t address_end = seen.find_first_of(" \n", address_start);
      process->address_ =
          seen.substr(address_start, address_end - address_start);
      return process;
    }
    const int64_t wait_ms = absl::ToInt64Milliseconds(give_up - absl::Now());
    if (wait_ms <= 0) {
      return absl::DeadlineExceededError(absl::StrCat(
          binary, " printed no listening line in time; stdout so far: ", seen));
    }
    pollfd poll_fd{process->stdout_fd_, POLLIN, 0};
    if (poll(&poll_fd, 1, static_cast<int>(wait_ms)) <= 0) continue;
    char buffer[4096];
    const ssize_t got = read(process->stdout_fd_, buffer, sizeof(buffer));
    if (got <= 0) {
      int wait_status = 0;
      waitpid(pid, &wait_status, 0);
      process->stopped_ = true;
      close(process->stdout_fd_);
      return absl::UnavailableError(
          absl::StrCat(binary, " exited (status ", ExitStatus(wait_status),
                       ") before listening; stdout: ", seen));
    }
    seen.append(buffer, static_cast<size_t>(got));
  }
}

absl::StatusOr<int> ServerProcess::Stop(absl::Duration timeout) {
  if (stopped_) return absl::FailedPreconditionError("already stopped");
  stopped_ = true;
  kill(pid_, SIGTERM);
  const absl::Time give_up = absl::Now() + timeout;
  while (absl::Now() < give_up) {
    int wait_status = 0;
    if (waitpid(pid_, &wait_status, WNOHANG) == pid_) {
      close(stdout_fd_);
      return ExitStatus(wait_status);
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  close(stdout_fd_);
  return absl::DeadlineExceededError("server did not exit after SIGTERM");
}

ServerProcess::~ServerProcess() {
  if (!stopped_) {
    absl::StatusOr<int> ignored = Stop(absl::Seconds(10));
    (void)ignored;
  }
}

}  // namespace vlmc::testing
