#ifndef VLMC_MODELS_UTIL_CLI_FLAGS_H_
#define VLMC_MODELS_UTIL_CLI_FLAGS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace vlmc::cli {

// Command-line flags of one subcommand: `--name value`, `--name=value` and
// boolean `--name`; everything else is positional. Unknown flags are errors,
// so a typo never silently falls back to a default.
class Flags {
 public:
  struct Spec {
    std::string name;
    std::string default_value;
    std::string help;
    bool is_bool = false;
  };

  static absl::StatusOr<Flags> Parse(const std::vector<std::string>& args,
                                     const std::vector<Spec>& specs);

  const std::string& Get(const std::string& name) const;
  bool GetBool(const std::string& name) const;
  absl::StatusOr<double> GetDouble(const std::string& name) const;
  absl::StatusOr<int64_t> GetInt(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }

  static std::string Usage(const std::vector<Spec>& specs);

 private:
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
};

}  // namespace vlmc::cli

#endif  // VLMC_MODELS_UTIL_CLI_FLAGS_H_
