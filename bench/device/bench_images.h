#ifndef VLMC_BENCH_DEVICE_BENCH_IMAGES_H_
#define VLMC_BENCH_DEVICE_BENCH_IMAGES_H_

#include <string>

#include "models/image/image.h"

namespace vlmc::bench {

// `image` repeated to width x height, every other tile mirrored so that the
// seams stay continuous (no hard edges the codec would spend bits on); a
// smaller size crops the top-left corner.
image::Image MirrorTile(const image::Image& image, int width, int height);

// Short hex digest of the pixels, for comparing decodes.
std::string PixelHash(const image::Image& image);

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_DEVICE_BENCH_IMAGES_H_
