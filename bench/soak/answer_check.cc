#include "bench/soak/answer_check.h"

#include <cstring>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "models/image/image_io.h"

namespace vlmc::bench {
namespace {

std::string CheckShape(const v1::DecodeResponse& response,
                       const image::Image& expected) {
  if (static_cast<int>(response.width()) != expected.width ||
      static_cast<int>(response.height()) != expected.height) {
    return absl::StrCat("size ", response.width(), "x", response.height(),
                        ", library ", expected.width, "x", expected.height);
  }
  return "";
}

std::string CheckFloatTensor(const v1::DecodeResponse& response,
                             const image::Image& expected) {
  const int w = expected.width, h = expected.height;
  const size_t plane = static_cast<size_t>(w) * h;
  if (response.data().size() != plane * 3 * sizeof(float)) {
    return absl::StrCat("tensor of ", response.data().size(), " bytes");
  }
  const int64_t shape[] = {1, 3, h, w};
  if (response.tensor_shape_size() != 4) return "tensor_shape is not 4-d";
  for (int i = 0; i < 4; ++i) {
    if (response.tensor_shape(i) != shape[i]) return "wrong tensor_shape";
  }
  const char* data = response.data().data();
  for (size_t i = 0; i < plane; ++i) {
    for (int c = 0; c < 3; ++c) {
      float value;
      std::memcpy(&value, data + (c * plane + i) * sizeof(float),
                  sizeof(float));
      if (value != expected.rgb[i * 3 + c] / 255.0f) {
        return absl::StrCat("tensor differs at pixel ", i, " channel ", c);
      }
    }
  }
  return "";
}

}  // namespace

std::string CheckEncodeAnswer(const v1::EncodeResponse& response,
                              const std::string& library_stream, int width,
                              int height) {
  if (static_cast<int>(response.stats().width()) != width ||
      static_cast<int>(response.stats().height()) != height) {
    return absl::StrCat("stats say ", response.stats().width(), "x",
                        response.stats().height(), ", sent ", width, "x",
                        height);
  }
  if (response.stream() != library_stream) {
    return absl::StrCat("stream of ", response.stream().size(),
                        " bytes differs from the library's ",
                        library_stream.size());
  }
  return "";
}

std::string CheckDecodeAnswer(const v1::DecodeResponse& response,
                              v1::OutputFormat requested,
                              const image::Image& library_pixels) {
  if (std::string shape = CheckShape(response, library_pixels);
      !shape.empty()) {
    return shape;
  }
  if (response.format() != requested) {
    return absl::StrCat("format ", response.format(), ", asked ", requested);
  }
  switch (requested) {
    case v1::OUTPUT_FORMAT_RAW_RGB8:
      if (response.data().size() != library_pixels.rgb.size() ||
          std::memcmp(response.data().data(), library_pixels.rgb.data(),
                      library_pixels.rgb.size()) != 0) {
        return "RGB8 pixels differ from the library's";
      }
      return "";
    case v1::OUTPUT_FORMAT_PNG: {
      absl::StatusOr<image::Image> png = image::DecodeImage(response.data());
      if (!png.ok()) return absl::StrCat("PNG: ", png.status().message());
      if (png->width != library_pixels.width ||
          png->height != library_pixels.height ||
          png->rgb != library_pixels.rgb) {
        return "PNG pixels differ from the library's";
      }
      return "";
    }
    case v1::OUTPUT_FORMAT_FLOAT32_NCHW:
      return CheckFloatTensor(response, library_pixels);
    default:
      return absl::StrCat("unexpected format ", requested);
  }
}

}  // namespace vlmc::bench
