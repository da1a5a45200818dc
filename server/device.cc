#include "server/device.h"

#include <torch/cuda.h>

#include "absl/strings/str_cat.h"
#include "models/codec/codec_device.h"

namespace vlmc::service {

absl::StatusOr<std::string> ResolveDevice(DeviceChoice choice) {
  if (choice == DeviceChoice::kCpu) return std::string("cpu");
  codec::CodecOptions cuda;
  cuda.device = "cuda:0";
  absl::StatusOr<torch::Device> usable = codec::ResolveDevice(cuda);
  if (usable.ok()) return cuda.device;
  if (choice == DeviceChoice::kAuto) return std::string("cpu");
  return absl::Status(usable.status().code(),
                      absl::StrCat("--device cuda: ", usable.status().message(),
                                   "; use --device cpu or auto"));
}

}  // namespace vlmc::service
