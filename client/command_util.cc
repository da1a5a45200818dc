#include "client/command_util.h"

#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "models/util/file_io.h"

namespace vlmc::cli {

double MillisecondsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start)
      .count();
}

int Fail(const std::string& command, const absl::Status& status) {
  std::fprintf(stderr, "vlmc %s: %s\n", command.c_str(),
               std::string(status.message()).c_str());
  return 1;
}

int UsageError(const std::string& command, const absl::Status& status) {
  Fail(command, status);
  return 2;
}

absl::StatusOr<std::string> ReadInput(const std::string& path) {
  if (path != "-") return util::ReadFile(path);
  std::string bytes;
  char buffer[1 << 16];
  while (size_t n = std::fread(buffer, 1, sizeof(buffer), stdin))
    bytes.append(buffer, n);
  if (std::ferror(stdin))
    return absl::UnavailableError("cannot read standard input");
  if (bytes.empty())
    return absl::InvalidArgumentError("standard input is empty");
  return bytes;
}

absl::Status WriteOutput(const std::string& path, absl::string_view bytes) {
  if (path != "-") return util::WriteFileAtomically(path, bytes);
  if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size() ||
      std::fflush(stdout) != 0) {
    return absl::UnavailableError("cannot write to standard output");
  }
  return absl::OkStatus();
}

std::FILE* ReportStream(const std::string& output_path) {
  return output_path == "-" ? stderr : stdout;
}

bool HasServerFlag(const std::vector<std::string>& args) {
  for (const std::string& arg : args) {
    absl::string_view name = arg;
    if (!absl::ConsumePrefix(&name, "--") && !absl::ConsumePrefix(&name, "-"))
      continue;
    if (name == "server" || absl::StartsWith(name, "server=")) return true;
  }
  return false;
}

std::vector<Flags::Spec> ServerFlags(const std::string& server_help) {
  return {
      {"server", "", server_help},
      {"deadline-ms", "30000",
       "with --server: milliseconds a request may take, retries included"},
      {"tls", "",
       "with --server: connect with TLS (implied by the other --tls flags); "
       "without --tls-ca the server's certificate must chain to gRPC's "
       "default roots",
       true},
      {"tls-ca", "",
       "with --server: PEM CA certificates the server's certificate must "
       "chain to"},
      {"tls-cert", "",
       "with --server: PEM client certificate for mutual TLS (with "
       "--tls-key)"},
      {"tls-key", "", "with --server: PEM private key of --tls-cert"},
      {"tls-server-name", "",
       "with --server: name the server's certificate carries when it is not "
       "the --server host (e.g. through a port-forward)"},
      {"token-file", "",
       "with --server: file holding the bearer token sent as "
       "'authorization: Bearer TOKEN' (empty: the VLMC_TOKEN environment "
       "variable, if set)"},
  };
}

std::vector<Flags::Spec> ServerModelFlags() {
  return {
      {"model-id", "", "with --server: model id (empty: the server's default)"},
      {"model-version", "0", "with --server: model version (0: the newest)"}};
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
