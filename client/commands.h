#ifndef VLMC_CLIENT_COMMANDS_H_
#define VLMC_CLIENT_COMMANDS_H_

#include <string>
#include <vector>

namespace vlmc::cli {

// Each subcommand of `vlmc` takes its own arguments (without the program and
// subcommand names) and returns the process exit code. Errors are printed as
// one line on stderr.
int RunTrain(const std::vector<std::string>& args);
int RunExport(const std::vector<std::string>& args);
int RunImportBls2017(const std::vector<std::string>& args);
int RunEncode(const std::vector<std::string>& args);
int RunDecode(const std::vector<std::string>& args);
int RunInfo(const std::vector<std::string>& args);
int RunEval(const std::vector<std::string>& args);
int RunDetect(const std::vector<std::string>& args);
// Needs the service: built without it, it fails as a usage error.
int RunForward(const std::vector<std::string>& args);

}  // namespace vlmc::cli

#endif  // VLMC_CLIENT_COMMANDS_H_
