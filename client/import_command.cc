// `vlmc import-bls2017`: turns the converged bls2017 transforms of
// ../shared/pretrained/bls2017-mse-0.125 into a training checkpoint (the
// warm start of the bls2017 family).
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "client/command_util.h"
#include "client/commands.h"
#include "models/codec/bls2017_import.h"
#include "models/codec/checkpoint.h"
#include "models/codec/safetensors.h"
#include "models/util/file_io.h"

namespace vlmc::cli {

int RunImportBls2017(const std::vector<std::string>& args) {
  const std::string kCmd = "import-bls2017";
  if (HasServerFlag(args)) {
    return UsageError(
        kCmd,
        absl::InvalidArgumentError(
            "--server is not supported: the import runs on this machine"));
  }
  const codec::CodecConfig defaults = codec::Bls2017Config();
  Flags flags;
  int exit_code = 0;
  if (!ParseOrExit(
          kCmd, "import-bls2017 --out CKPT [flags]", args,
          {{"pretrained", "../shared/pretrained/bls2017-mse-0.125",
            "folder of ana_w.bin, ana_b.bin, syn_w.bin, syn_b.bin (each "
            "checked by size and sha256)"},
           {"out", "",
            "training checkpoint to write (safetensors, float32; required); "
            "nothing is written when a check fails"},
           {"lambdas", defaults.ToMetadata().at("level_lambdas"),
            "rate-distortion lambdas of the quality levels (comma-separated, "
            "increasing); the gains start at sqrt(lambda / 0.125)"},
           {"model-id", defaults.model_id, "model id written into streams"}},
          &flags, &exit_code)) {
    return exit_code;
  }
  if (flags.Get("out").empty()) {
    return UsageError(kCmd, absl::InvalidArgumentError("--out is required"));
  }
  codec::CodecConfig config = defaults;
  config.model_id = flags.Get("model-id");
  absl::StatusOr<std::vector<double>> lambdas =
      codec::ParseLevelLambdas(flags.Get("lambdas"));
  if (!lambdas.ok()) return UsageError(kCmd, lambdas.status());
  config.level_lambdas = *std::move(lambdas);
  absl::StatusOr<codec::HyperpriorNetwork> network =
      codec::ImportBls2017(flags.Get("pretrained"), config);
  if (!network.ok()) return Fail(kCmd, network.status());
  codec::TensorFile file =
      codec::NetworkToTensorFile(*network, config, torch::kFloat32);
  file.metadata["step"] = "0";
  absl::StatusOr<std::string> bytes = codec::SerializeSafetensors(file);
  if (!bytes.ok()) return Fail(kCmd, bytes.status());
  if (absl::Status s = util::WriteFileAtomically(flags.Get("out"), *bytes);
      !s.ok()) {
    return Fail(kCmd, s);
  }
  std::printf(
      "%s: bls2017 transforms (MIT licence, Copyright (c) 2024 "
      "SJTU-TCloud-Lab: keep the LICENSE with every model derived from "
      "them), fresh hyperprior, %zu gain levels\n",
      flags.Get("out").c_str(), config.level_lambdas.size());
  return 0;
}

}  // namespace vlmc::cli
