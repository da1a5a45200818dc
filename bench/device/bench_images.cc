#include "bench/device/bench_images.h"

#include "absl/types/span.h"
#include "models/util/sha256.h"

namespace vlmc::bench {
namespace {

// Source coordinate of `i` in a row of tiles of length `n`, odd tiles
// mirrored.
int MirroredIndex(int i, int n) {
  const int tile = i / n, offset = i % n;
  return tile % 2 == 0 ? offset : n - 1 - offset;
}

}  // namespace

image::Image MirrorTile(const image::Image& image, int width, int height) {
  image::Image out{
      width, height,
      std::vector<uint8_t>(static_cast<size_t>(width) * height * 3)};
  for (int y = 0; y < height; ++y) {
    const int sy = MirroredIndex(y, image.height);
    for (int x = 0; x < width; ++x) {
      const int sx = MirroredIndex(x, image.width);
      for (int c = 0; c < 3; ++c) {
        out.rgb[(static_cast<size_t>(y) * width + x) * 3 + c] =
            image.rgb[(static_cast<size_t>(sy) * image.width + sx) * 3 + c];
      }
    }
  }
  return out;
}

std::string PixelHash(const image::Image& image) {
  const util::Sha256Digest digest = util::Sha256(absl::string_view(
      reinterpret_cast<const char*>(image.rgb.data()), image.rgb.size()));
  return util::ToHex(absl::MakeConstSpan(digest.data(), 8));
}

}  // namespace vlmc::bench
