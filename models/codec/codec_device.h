#ifndef VLMC_MODELS_CODEC_CODEC_DEVICE_H_
#define VLMC_MODELS_CODEC_CODEC_DEVICE_H_

#include <torch/torch.h>

#include <chrono>
#include <string>

#include "absl/status/statusor.h"

namespace vlmc::codec {

// Where a Codec runs its networks. Entropy coding always runs on the CPU;
// the integer hyper-synthesis runs on the device in exact arithmetic
// (TensorHyperSynthesis), so streams decode the same everywhere.
struct CodecOptions {
  // "cpu", "cuda" or "cuda:N".
  std::string device = "cpu";
  // Runs the synthesis network in float16 (CUDA only). Streams are unchanged,
  // but decoded pixels may differ slightly from the float64 CPU decode.
  bool half_synthesis = false;
};

// The device `options` name, once checked to be usable: INVALID_ARGUMENT for
// a malformed name or half_synthesis off CUDA, FAILED_PRECONDITION when CUDA
// is asked for but this build or machine has no usable CUDA device.
absl::StatusOr<torch::Device> ResolveDevice(const CodecOptions& options);

// `host` on `device`. CUDA copies go through pinned memory without blocking
// the host; on the CPU this returns `host` itself.
torch::Tensor UploadTo(const torch::Tensor& host, torch::Device device);

// Milliseconds since `start`, after the work queued on `device` has finished
// (CUDA runs asynchronously, so an unsynchronised clock would stop early).
double ElapsedMs(std::chrono::steady_clock::time_point start,
                 torch::Device device);

}  // namespace vlmc::codec

#endif  // VLMC_MODELS_CODEC_CODEC_DEVICE_H_
