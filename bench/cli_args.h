#ifndef VLMC_BENCH_CLI_ARGS_H_
#define VLMC_BENCH_CLI_ARGS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vlmc::bench {

// Parses "--name value" and "--name=value" arguments (argv[0] skipped). Every
// name must be in `known`; repeated flags, stray positional arguments and a
// flag without a value are INVALID_ARGUMENT.
absl::StatusOr<std::map<std::string, std::string>> ParseFlags(
    int argc, const char* const* argv, const std::vector<std::string>& known);

// "5,10,20" -> {5, 10, 20}; INVALID_ARGUMENT naming `what` on a bad or empty
// list.
absl::StatusOr<std::vector<int>> ParseIntList(absl::string_view text,
                                              absl::string_view what);

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_CLI_ARGS_H_
