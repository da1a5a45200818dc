// `vlmc`: encode, decode, inspect, evaluate and train vlmcodec models, here
// or through the gRPC service.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "client/commands.h"

namespace {

constexpr char kUsage[] =
    "usage: vlmc <command> [flags]\n"
    "\n"
    "commands:\n"
    "  encode IN.png|IN.jpg -o OUT.vlmc [-q QUALITY]   compress an image\n"
    "  decode IN.vlmc -o OUT.png                        decompress a stream\n"
    "  info IN.vlmc | info --server HOST:PORT           print a stream's "
    "header or a\n"
    "                                                   server's models and "
    "limits\n"
    "  eval --images DIR                                rate-PSNR over a "
    "folder\n"
    "  train --out DIR                                  train a codec "
    "(rate-distortion or task)\n"
    "  export --checkpoint CKPT --out MODEL             freeze a checkpoint "
    "into a model file\n"
    "  import-bls2017 --out CKPT                        warm-start checkpoint "
    "from the\n"
    "                                                   pretrained bls2017 "
    "transforms\n"
    "  detect IMAGE [--model centernet|nanodet]         COCO object "
    "detection\n"
    "  forward IN.vlmc --server HOST:PORT --lvlm HOST:PORT\n"
    "                                                   decode on a codec "
    "server, ask an\n"
    "                                                   LVLM service "
    "(default task: detect)\n"
    "\n"
    "encode, decode, info, eval and detect run here, or on a server with\n"
    "--server HOST:PORT (a VlmCodec server such as vlmc-server; for detect, "
    "an\n"
    "LvlmService such as vlmc-lvlm-ref) and --deadline-ms N; --tls-ca FILE\n"
    "(and --tls-cert/--tls-key for mutual TLS) and --token-file FILE (or\n"
    "$VLMC_TOKEN) reach a server that wants TLS or a bearer token.\n"
    "`vlmc <command> --help` lists the flags of a command.\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 ||
      std::strcmp(argv[1], "-h") == 0) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  const std::string command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "encode") return vlmc::cli::RunEncode(args);
  if (command == "decode") return vlmc::cli::RunDecode(args);
  if (command == "info") return vlmc::cli::RunInfo(args);
  if (command == "eval") return vlmc::cli::RunEval(args);
  if (command == "train") return vlmc::cli::RunTrain(args);
  if (command == "export") return vlmc::cli::RunExport(args);
  if (command == "import-bls2017") return vlmc::cli::RunImportBls2017(args);
  if (command == "detect") return vlmc::cli::RunDetect(args);
  if (command == "forward") return vlmc::cli::RunForward(args);
  std::fprintf(stderr, "vlmc: unknown command '%s'\n%s", command.c_str(),
               kUsage);
  return 2;
}
