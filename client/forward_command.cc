// `vlmc forward`: decode a stream on a VlmCodec server and hand the tensor to
// an LvlmService (LvlmForwarder), printing the answer and where time went.
#include <cstdio>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "client/command_util.h"
#include "client/commands.h"
#include "client/lvlm_forwarder.h"
#include "client/remote_flags.h"
#include "models/util/file_io.h"
#include "nlohmann/json.hpp"

namespace vlmc::cli {
namespace {

// "key=value,key=value" -> map; INVALID_ARGUMENT naming a malformed pair.
absl::StatusOr<std::map<std::string, std::string>> ParseOptions(
    const std::string& text) {
  std::map<std::string, std::string> options;
  for (absl::string_view pair : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    std::pair<std::string, std::string> kv =
        absl::StrSplit(pair, absl::MaxSplits('=', 1));
    if (kv.first.empty() || pair.find('=') == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("--options: '", pair, "' is not KEY=VALUE"));
    }
    options[kv.first] = kv.second;
  }
  return options;
}

void PrintJson(const ForwardResult& result) {
  nlohmann::json boxes = nlohmann::json::array();
  for (const v1::Box& box : result.answer.boxes()) {
    boxes.push_back({{"class", box.label()},
                     {"class_id", box.class_id()},
                     {"score", box.score()},
                     {"box", {box.x0(), box.y0(), box.x1(), box.y1()}}});
  }
  const nlohmann::json out = {{"text", result.answer.text()},
                              {"model", result.answer.model()},
                              {"boxes", boxes},
                              {"width", result.width},
                              {"height", result.height},
                              {"timings_ms",
                               {{"decode", result.decode_ms},
                                {"server_decode", result.server_decode_ms},
                                {"infer", result.infer_ms},
                                {"server_infer", result.answer.infer_ms()},
                                {"total", result.total_ms}}}};
  std::printf("%s\n", out.dump().c_str());
}

void PrintText(const ForwardResult& result) {
  std::printf("%s (%s)\n", result.answer.text().c_str(),
              result.answer.model().c_str());
  for (const v1::Box& box : result.answer.boxes()) {
    std::printf("%-14s %.3f  [%.1f, %.1f, %.1f, %.1f]\n", box.label().c_str(),
                box.score(), box.x0(), box.y0(), box.x1(), box.y1());
  }
  std::printf(
      "%ux%u image; decode %.1f ms (server %.1f), infer %.1f ms (server "
      "%.1f), total %.1f ms\n",
      result.width, result.height, result.decode_ms, result.server_decode_ms,
      result.infer_ms, result.answer.infer_ms(), result.total_ms);
}

}  // namespace

int RunForward(const std::vector<std::string>& args) {
  const std::string kCmd = "forward";
  Flags flags;
  int exit_code = 0;
  std::vector<Flags::Spec> specs = ServerFlags(
      "VlmCodec server that decodes (required); the TLS flags "
      "and the token apply to it, not to --lvlm");
  specs.insert(specs.end(),
               {{"lvlm", "", "LvlmService that answers, HOST:PORT (required)"},
                {"task", "detect", "what the LVLM should do"},
                {"prompt", "", "instruction or question for the LVLM"},
                {"options", "",
                 "task options, KEY=VALUE[,KEY=VALUE...] (detect: "
                 "min_score, detector)"},
                {"json", "", "print one JSON object instead of text", true}});
  if (!ParseOrExit(kCmd,
                   "forward IN.vlmc --server HOST:PORT --lvlm HOST:PORT "
                   "[flags]",
                   args, specs, &flags, &exit_code)) {
    return exit_code;
  }
  if (flags.positional().size() != 1) {
    return UsageError(
        kCmd, absl::InvalidArgumentError("expected exactly one input stream"));
  }
  if (flags.Get("server").empty() || flags.Get("lvlm").empty()) {
    return UsageError(
        kCmd, absl::InvalidArgumentError("--server and --lvlm are required"));
  }
  absl::StatusOr<std::map<std::string, std::string>> options =
      ParseOptions(flags.Get("options"));
  if (!options.ok()) return UsageError(kCmd, options.status());
  absl::StatusOr<ClientOptions> client_options = ClientOptionsFromFlags(flags);
  if (!client_options.ok()) return UsageError(kCmd, client_options.status());
  // TLS and the token are the codec server's; --lvlm is plaintext.
  ClientOptions lvlm_options = *client_options;
  lvlm_options.tls = TlsOptions();
  lvlm_options.bearer_token.clear();
  absl::StatusOr<std::unique_ptr<LvlmForwarder>> forwarder =
      LvlmForwarder::Create(flags.Get("server"), *client_options,
                            flags.Get("lvlm"), lvlm_options);
  if (!forwarder.ok()) return UsageError(kCmd, forwarder.status());

  absl::StatusOr<std::string> stream = util::ReadFile(flags.positional()[0]);
  if (!stream.ok()) return Fail(kCmd, stream.status());
  absl::StatusOr<ForwardResult> result =
      (*forwarder)
          ->DecodeAndInfer(*stream, flags.Get("task"), flags.Get("prompt"),
                           *options);
  if (!result.ok()) return Fail(kCmd, result.status());
  if (flags.GetBool("json")) {
    PrintJson(*result);
  } else {
    PrintText(*result);
  }
  return 0;
}

}  // namespace vlmc::cli
