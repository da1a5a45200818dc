#ifndef VLMC_MODELS_CODEC_SAFETENSORS_H_
#define VLMC_MODELS_CODEC_SAFETENSORS_H_

#include <torch/torch.h>

#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vlmc::codec {

// A safetensors file (https://huggingface.co/docs/safetensors): an 8-byte
// little-endian header length, a JSON header naming each tensor's dtype, shape
// and byte range, then the raw little-endian tensor data.
struct TensorFile {
  std::map<std::string, torch::Tensor> tensors;  // CPU, contiguous
  std::map<std::string, std::string> metadata;   // "__metadata__"
};

// Supported dtypes: F32, F16, I32, I64, U8.
absl::StatusOr<std::string> SerializeSafetensors(const TensorFile& file);
absl::StatusOr<TensorFile> ParseSafetensors(absl::string_view bytes);

absl::Status WriteSafetensorsFile(const std::string& path,
                                  const TensorFile& file);
absl::StatusOr<TensorFile> ReadSafetensorsFile(const std::string& path);

}  // namespace vlmc::codec

#endif  // VLMC_MODELS_CODEC_SAFETENSORS_H_
