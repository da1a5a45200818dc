// `vlmc export`: freezes a training checkpoint into a shippable model file.
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "client/command_util.h"
#include "client/commands.h"
#include "models/codec/codec.h"
#include "models/codec/safetensors.h"
#include "models/util/file_io.h"
#include "models/util/sha256.h"

namespace vlmc::cli {

int RunExport(const std::vector<std::string>& args) {
  const std::string kCmd = "export";
  if (HasServerFlag(args)) {
    return UsageError(
        kCmd, absl::InvalidArgumentError(
                  "--server is not supported: export runs on this machine"));
  }
  Flags flags;
  int exit_code = 0;
  if (!ParseOrExit(
          kCmd, "export --checkpoint CKPT --out MODEL [flags]", args,
          {{"checkpoint", "", "training checkpoint (safetensors, required)"},
           {"out", "", "model file to write (required)"},
           {"model-id", "vlmc-hp", "model id written into every stream"},
           {"model-version", "1", "model version written into every stream"},
           {"dtype", "f16", "weight storage: f16 (ship) or f32"}},
          &flags, &exit_code)) {
    return exit_code;
  }
  if (flags.Get("checkpoint").empty() || flags.Get("out").empty()) {
    return UsageError(kCmd, absl::InvalidArgumentError(
                                "--checkpoint and --out are required"));
  }
  const std::string& dtype_name = flags.Get("dtype");
  if (dtype_name != "f16" && dtype_name != "f32") {
    return UsageError(kCmd,
                      absl::InvalidArgumentError("--dtype must be f16 or f32"));
  }
  absl::StatusOr<int64_t> version = flags.GetInt("model-version");
  if (!version.ok()) return UsageError(kCmd, version.status());
  if (*version < 0 || *version > 65535) {
    return UsageError(kCmd, absl::InvalidArgumentError(
                                "--model-version must be in [0, 65535]"));
  }
  absl::StatusOr<codec::TensorFile> checkpoint =
      codec::ReadSafetensorsFile(flags.Get("checkpoint"));
  if (!checkpoint.ok()) return Fail(kCmd, checkpoint.status());
  absl::StatusOr<codec::TensorFile> model = codec::MakeModelFile(
      *checkpoint, dtype_name == "f16" ? torch::kFloat16 : torch::kFloat32,
      flags.Get("model-id"), static_cast<int>(*version));
  if (!model.ok()) return Fail(kCmd, model.status());
  auto step = checkpoint->metadata.find("step");
  if (step != checkpoint->metadata.end())
    model->metadata["trained_steps"] = step->second;
  absl::StatusOr<std::string> bytes = codec::SerializeSafetensors(*model);
  if (!bytes.ok()) return Fail(kCmd, bytes.status());
  // Refuse to write a model that cannot be loaded back.
  absl::StatusOr<std::unique_ptr<codec::Codec>> check =
      codec::Codec::FromModelBytes(*bytes);
  if (!check.ok()) return Fail(kCmd, check.status());
  if (absl::Status s = util::WriteFileAtomically(flags.Get("out"), *bytes);
      !s.ok()) {
    return Fail(kCmd, s);
  }
  std::printf("%s: %zu bytes, sha256 %s\n", flags.Get("out").c_str(),
              bytes->size(), util::ToHex(util::Sha256(*bytes)).c_str());
  return 0;
}

}  // namespace vlmc::cli
