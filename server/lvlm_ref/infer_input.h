#ifndef VLMC_SERVER_LVLM_REF_INFER_INPUT_H_
#define VLMC_SERVER_LVLM_REF_INFER_INPUT_H_

#include "absl/status/statusor.h"
#include "models/image/image.h"
#include "vlmc/v1/lvlm.pb.h"

namespace vlmc::lvlm_ref {

// The image a Tensor holds (lvlm.proto: shape [1, 3, H, W], float32
// little-endian, RGB in [0, 1]), as 8-bit RGB (round(v * 255)). Values
// outside [0, 1] are clamped. INVALID_ARGUMENT for another shape, a data size
// that does not match the shape, a size beyond `limits`, or NaN / infinity.
absl::StatusOr<image::Image> ImageFromTensor(const v1::Tensor& tensor,
                                             const image::DecodeLimits& limits);

// The request's input as an image: its tensor, or its PNG / JPEG bytes
// decoded within `limits`. INVALID_ARGUMENT when neither is set or the input
// is malformed.
absl::StatusOr<image::Image> InputImage(const v1::InferRequest& request,
                                        const image::DecodeLimits& limits);

}  // namespace vlmc::lvlm_ref

#endif  // VLMC_SERVER_LVLM_REF_INFER_INPUT_H_
