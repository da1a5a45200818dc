#include "server/device.h"

#include <torch/cuda.h>

namespace vlmc::service {

absl::StatusOr<std::string> ResolveDevice(DeviceChoice choice) {
  if (choice != DeviceChoice::kCuda) return std::string("cpu");
  if (!torch::cuda::is_available()) {
    return absl::FailedPreconditionError(
        "--device cuda: no CUDA device is usable here "
        "(torch::cuda::is_available() is false); use --device cpu or auto");
  }
  return absl::FailedPreconditionError(
      "--device cuda: the codec runs on the CPU only in this version; use "
      "--device cpu or auto");
}

}  // namespace vlmc::service
