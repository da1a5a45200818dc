#include "models/codec/test_images.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

#include "models/image/image_io.h"

namespace vlmc::codec::test {

const codec::Codec& ShippedCodec() {
  static const codec::Codec* codec = [] {
    absl::StatusOr<std::unique_ptr<codec::Codec>> loaded =
        codec::Codec::Load(VLMC_REFERENCE_MODEL_PATH);
    if (!loaded.ok()) {
      ADD_FAILURE() << loaded.status();
      std::abort();
    }
    return loaded->release();
  }();
  return *codec;
}

image::Image Kodim20Crop(int x, int y, int width, int height) {
  static const image::Image* full = [] {
    absl::StatusOr<image::Image> img = image::ReadImageFile(
        std::string(VLMC_SOURCE_DIR) + "/tests/data/kodim20.png");
    if (!img.ok()) {
      ADD_FAILURE() << img.status();
      std::abort();
    }
    return new image::Image(*std::move(img));
  }();
  if (x < 0 || y < 0 || x + width > full->width || y + height > full->height) {
    ADD_FAILURE() << "crop outside kodim20";
    std::abort();
  }
  image::Image crop{width, height, {}};
  crop.rgb.resize(static_cast<size_t>(width) * height * 3);
  for (int row = 0; row < height; ++row) {
    const uint8_t* src =
        &full->rgb[(static_cast<size_t>(y + row) * full->width + x) * 3];
    std::copy_n(src, width * 3,
                &crop.rgb[static_cast<size_t>(row) * width * 3]);
  }
  return crop;
}

}  // namespace vlmc::codec::test
