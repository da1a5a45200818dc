#ifndef VLMC_CLIENT_COMMAND_UTIL_H_
#define VLMC_CLIENT_COMMAND_UTIL_H_

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "models/util/cli_flags.h"

namespace vlmc::cli {

// Prints "vlmc <command>: <message>" on one line and returns exit code 1
// (the command ran and failed).
int Fail(const std::string& command, const absl::Status& status);

// Same for a wrong invocation (missing or malformed flags); exit code 2.
int UsageError(const std::string& command, const absl::Status& status);

using Clock = std::chrono::steady_clock;

// Wall milliseconds from `start` to now, for the timings commands print.
double MillisecondsSince(Clock::time_point start);

// True when `args` hold --server (for the commands that only run locally).
bool HasServerFlag(const std::vector<std::string>& args);

// --server, --deadline-ms, the TLS flags and --token-file, for the commands
// that can run on a server; `server_help` says what kind of server.
std::vector<Flags::Spec> ServerFlags(const std::string& server_help);

// --model-id and --model-version: which of the server's models encodes.
std::vector<Flags::Spec> ServerModelFlags();

// The bytes of `path`, or all of standard input for "-".
absl::StatusOr<std::string> ReadInput(const std::string& path);

// Writes `bytes` to `path` atomically, or to standard output for "-".
absl::Status WriteOutput(const std::string& path, absl::string_view bytes);

// Where a command reports what it did: standard output, or standard error
// when the data itself goes to standard output (-o -).
std::FILE* ReportStream(const std::string& output_path);

// Parses flags (adding --help); prints usage and returns false with
// `exit_code` set when the command should stop (help or a flag error).
bool ParseOrExit(const std::string& command, const std::string& synopsis,
                 const std::vector<std::string>& args,
                 std::vector<Flags::Spec> specs, Flags* flags, int* exit_code);

}  // namespace vlmc::cli

#endif  // VLMC_CLIENT_COMMAND_UTIL_H_
