#include "server/lvlm_ref/infer_input.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "models/image/image_io.h"

namespace vlmc::lvlm_ref {

// The wire format is little-endian; reading it with memcpy needs a host that
// is too.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "tensor decoding assumes a little-endian host");

absl::StatusOr<image::Image> ImageFromTensor(
    const v1::Tensor& tensor, const image::DecodeLimits& limits) {
  const auto& shape = tensor.shape();
  if (shape.size() != 4 || shape[0] != 1 || shape[1] != 3) {
    return absl::InvalidArgumentError(
        absl::StrCat("tensor shape must be [1, 3, height, width], got [",
                     absl::StrJoin(shape, ", "), "]"));
  }
  const int64_t height = shape[2], width = shape[3];
  if (height < 1 || width < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "tensor height and width must be positive, got ", height, "x", width));
  }
  if (absl::Status s =
          image::CheckDecodeLimits("tensor", width, height, limits);
      !s.ok()) {
    return s;
  }
  const size_t plane = static_cast<size_t>(height) * width;
  if (tensor.data().size() != plane * 3 * sizeof(float)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "tensor data has ", tensor.data().size(), " bytes; shape [1, 3, ",
        height, ", ", width, "] needs ", plane * 3 * sizeof(float)));
  }
  image::Image img{static_cast<int>(width), static_cast<int>(height), {}};
  img.rgb.resize(plane * 3);
  const char* data = tensor.data().data();
  for (size_t c = 0; c < 3; ++c) {
    for (size_t i = 0; i < plane; ++i) {
      float v;
      std::memcpy(&v, data + (c * plane + i) * sizeof(float), sizeof(float));
      if (!std::isfinite(v)) {
        return absl::InvalidArgumentError(
            "tensor holds NaN or infinite values");
      }
      img.rgb[i * 3 + c] =
          static_cast<uint8_t>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255));
    }
  }
  return img;
}

absl::StatusOr<image::Image> InputImage(const v1::InferRequest& request,
                                        const image::DecodeLimits& limits) {
  switch (request.input_case()) {
    case v1::InferRequest::kTensor:
      return ImageFromTensor(request.tensor(), limits);
    case v1::InferRequest::kImage:
      return image::DecodeImage(request.image(), limits);
    default:
      return absl::InvalidArgumentError(
          "no input: set tensor or image (PNG or JPEG bytes)");
  }
}

}  // namespace vlmc::lvlm_ref
