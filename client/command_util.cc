#include "client/command_util.h"

namespace vlmc::cli {

int Fail(const std::string& command, const absl::Status& status) {
  std::fprintf(stderr, "vlmc %s: %s\n", command.c_str(),
               std::string(status.message()).c_str());
  return 1;
}

int UsageError(const std::string& command, const absl::Status& status) {
  Fail(command, status);
  return 2;
}

bool ParseOrExit(const std::string& command, const std::string& synopsis,
                 const std::vector<std::string>& args,
                 std::vector<Flags::Spec> specs, Flags* flags, int* exit_code) {
  specs.push_back({"help", "", "print this help", true});
  absl::StatusOr<Flags> parsed = Flags::Parse(args, specs);
  if (!parsed.ok()) {
    std::fprintf(stderr, "vlmc %s: %s\nusage: vlmc %s\n%s", command.c_str(),
                 std::string(parsed.status().message()).c_str(),
                 synopsis.c_str(), Flags::Usage(specs).c_str());
    *exit_code = 2;
    return false;
  }
  if (parsed->GetBool("help")) {
    std::printf("usage: vlmc %s\n%s", synopsis.c_str(),
                Flags::Usage(specs).c_str());
    *exit_code = 0;
    return false;
  }
  *flags = std::move(*parsed);
  return true;
}

}  // namespace vlmc::cli
