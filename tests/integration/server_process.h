#ifndef VLMC_TESTS_INTEGRATION_SERVER_PROCESS_H_
#define VLMC_TESTS_INTEGRATION_SERVER_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace vlmc::testing {

// A server binary started for a test: spawned with its stdout on a pipe,
// ready once it printed "<name>: listening on HOST:PORT ..." (servers asked
// to listen on port 0 print the port they got). Stopped with SIGTERM (and
// SIGKILL after a grace period) when destroyed, unless Stop() ran already.
class ServerProcess {
 public:
  // Starts `binary` with `args` and waits up to `startup_timeout` for the
  // listening line. stderr goes to `stderr_path` (read it on failure).
  static absl::StatusOr<std::unique_ptr<ServerProcess>> Start(
      const std::string& binary, const std::vector<std::string>& args,
      const std::string& stderr_path,
      absl::Duration startup_timeout = absl::Seconds(60));
  ~ServerProcess();

  // The address after "listening on", e.g. 127.0.0.1:41234.
  const std::string& address() const { return address_; }
  // The whole listening line (servers may add more addresses to it).
  const std::string& listening_line() const { return listening_line_; }
  pid_t pid() const { return pid_; }

  // Sends SIGTERM and waits up to `timeout`; returns the exit status
  // (128 + signal when killed). SIGKILL and DEADLINE_EXCEEDED if it hangs.
  absl::StatusOr<int> Stop(absl::Duration timeout = absl::Seconds(30));

 private:
  ServerProcess(pid_t pid, int stdout_fd) : pid_(pid), stdout_fd_(stdout_fd) {}

  pid_t pid_;
  int stdout_fd_;
  bool stopped_ = false;
  std::string address_;
  std::string listening_line_;
};

}  // namespace vlmc::testing

#endif  // VLMC_TESTS_INTEGRATION_SERVER_PROCESS_H_
