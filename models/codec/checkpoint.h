#ifndef VLMC_MODELS_CODEC_CHECKPOINT_H_
#define VLMC_MODELS_CODEC_CHECKPOINT_H_

#include <torch/torch.h>

#include <map>
#include <string>

#include "absl/status/status.h"
#include "models/codec/codec_config.h"
#include "models/codec/hyperprior_network.h"
#include "models/codec/safetensors.h"

namespace vlmc::codec {

// Network parameters and config metadata as a TensorFile; `dtype` is the
// storage type of floating-point weights (F32 for training, F16 to ship).
TensorFile NetworkToTensorFile(HyperpriorNetwork& network,
                               const CodecConfig& config,
                               torch::ScalarType dtype);

// Copies every parameter of `network` from `file`. Fails (naming the tensor)
// when one is missing, has another shape, or the file holds unknown weights.
// With `fresh_pre_editor` the pre-editor's weights ("pre_editor.*") are not
// read and keep their initial values (the identity): warm-starting a codec
// with a pre-editor from a model without one.
absl::Status LoadNetworkWeights(const TensorFile& file,
                                HyperpriorNetwork& network,
                                bool fresh_pre_editor = false);

// Prefix of the pre-editor's parameter names.
inline constexpr char kPreEditorPrefix[] = "pre_editor.";

// Names of non-network tensors in a model file: the integer CDF tables of the
// hyper-latent's factorized prior.
inline constexpr char kZCdfValues[] = "entropy.z.cdf_values";
inline constexpr char kZCdfLengths[] = "entropy.z.cdf_lengths";
inline constexpr char kZCdfOffsets[] = "entropy.z.cdf_offsets";

}  // namespace vlmc::codec

#endif  // VLMC_MODELS_CODEC_CHECKPOINT_H_
