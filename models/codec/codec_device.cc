#include "models/codec/codec_device.h"

#include <torch/cuda.h>

#include <algorithm>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace vlmc::codec {
namespace {

constexpr absl::string_view kCudaPrefix = "cuda:";

absl::Status NoCudaError(const std::string& device) {
#ifdef VLMC_WITH_CUDA
  return absl::FailedPreconditionError(absl::StrCat(
      "device \"", device, "\": no usable CUDA device is visible"));
#else
  return absl::FailedPreconditionError(
      absl::StrCat("device \"", device,
                   "\": this build has no CUDA support (configure with "
                   "-DVLMC_WITH_CUDA=ON against a CUDA LibTorch)"));
#endif
}

// The N of "cuda" (0) or "cuda:N"; nullopt for any other name.
std::optional<int> CudaIndex(absl::string_view name) {
  if (name == "cuda") return 0;
  if (!absl::ConsumePrefix(&name, kCudaPrefix) || name.empty() ||
      !std::all_of(name.begin(), name.end(), absl::ascii_isdigit)) {
    return std::nullopt;
  }
  int index = 0;
  if (!absl::SimpleAtoi(name, &index)) return std::nullopt;
  return index;
}

}  // namespace

torch::ScalarType SynthesisDtype(SynthesisPrecision precision) {
  switch (precision) {
    case SynthesisPrecision::kFloat64:
      return torch::kFloat64;
    case SynthesisPrecision::kFloat16:
      return torch::kHalf;
    case SynthesisPrecision::kFloat32:
      break;
  }
  return torch::kFloat32;
}

absl::StatusOr<torch::Device> ResolveDevice(const CodecOptions& options) {
  const std::string& name = options.device;
  if (name == "cpu") {
    if (options.synthesis == SynthesisPrecision::kFloat16) {
      return absl::InvalidArgumentError(
          "float16 synthesis needs a CUDA device (on the CPU use float32 or "
          "float64)");
    }
    return torch::Device(torch::kCPU);
  }
  const std::optional<int> index = CudaIndex(name);
  if (!index.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("device \"", name, "\" is none of cpu, cuda, cuda:N"));
  }
  if (!torch::cuda::is_available()) return NoCudaError(name);
  const size_t count = torch::cuda::device_count();
  if (static_cast<size_t>(*index) >= count) {
    return absl::FailedPreconditionError(absl::StrCat(
        "device \"", name, "\": only ", count, " CUDA device(s) visible"));
  }
  return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(*index));
}

torch::Tensor UploadTo(const torch::Tensor& host, torch::Device device) {
  if (device.is_cpu()) return host;
  return host.pin_memory().to(device, /*non_blocking=*/true);
}

double ElapsedMs(std::chrono::steady_clock::time_point start,
                 torch::Device device) {
  if (device.is_cuda()) torch::cuda::synchronize(device.index());
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now() - start)
      .count();
}

}  // namespace vlmc::codec
