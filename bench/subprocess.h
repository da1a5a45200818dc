#ifndef VLMC_BENCH_SUBPROCESS_H_
#define VLMC_BENCH_SUBPROCESS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vlmc::bench {

// Absolute path of the executable `tool` in $PATH, or NOT_FOUND.
absl::StatusOr<std::string> FindInPath(absl::string_view tool);

struct CommandResult {
  int exit_code = 0;   // 128 + signal number if killed by a signal.
  std::string output;  // stdout and stderr, interleaved.
};

// Runs argv[0] (looked up in $PATH) with `argv` via posix_spawn: no shell, so
// arguments are never reinterpreted. stdin is /dev/null. Errors only when the
// process cannot be started; a non-zero exit is reported in the result.
absl::StatusOr<CommandResult> RunCommand(const std::vector<std::string>& argv);

// `argv` as one line, with arguments single-quoted where a shell would need it.
std::string FormatCommandLine(const std::vector<std::string>& argv);

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_SUBPROCESS_H_
