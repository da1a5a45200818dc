#ifndef VLMC_MODELS_CODEC_CODEC_DEVICE_H_
#define VLMC_MODELS_CODEC_CODEC_DEVICE_H_

#include <torch/torch.h>

#include <chrono>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "models/codec/synthesis_precision.h"

namespace vlmc::codec {

// The LibTorch type that runs the synthesis in `precision`.
torch::ScalarType SynthesisDtype(SynthesisPrecision precision);

// Where a Codec runs its networks. Entropy coding always runs on the CPU;
// the integer hyper-synthesis runs on the device in exact arithmetic
// (TensorHyperSynthesis), so streams decode the same everywhere.
struct CodecOptions {
  // "cpu", "cuda" or "cuda:N".
  std::string device = "cpu";
  SynthesisPrecision synthesis = SynthesisPrecision::kFloat32;
};

// The device `options` name, once checked to be usable: INVALID_ARGUMENT for
// a malformed name or float16 synthesis off CUDA, FAILED_PRECONDITION when
// CUDA is asked for but this build or machine has no usable CUDA device.
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
