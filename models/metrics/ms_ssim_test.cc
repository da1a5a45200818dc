#include "models/metrics/ms_ssim.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "absl/status/status.h"

namespace vlmc::metrics {
namespace {

image::Image Constant(int w, int h, uint8_t value) {
  image::Image img;
  img.width = w;
  img.height = h;
  img.rgb.assign(size_t{3} * w * h, value);
  return img;
}

// A deterministic textured image: smooth gradients plus pseudo-random detail.
image::Image Texture(int w, int h) {
  image::Image img = Constant(w, h, 0);
  uint32_t state = 12345;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      for (int c = 0; c < 3; ++c) {
        state = state * 1664525u + 1013904223u;
        const int detail = static_cast<int>(state >> 27) - 16;  // -16..15
        const int v = 60 + (x + 2 * y + 40 * c) % 140 + detail;
        img.rgb[(size_t{1} * y * w + x) * 3 + c] = static_cast<uint8_t>(v);
      }
    }
  }
  return img;
}

// `img` plus uniform noise in [-amplitude, amplitude], clamped to 0..255.
image::Image AddNoise(const image::Image& img, int amplitude) {
  image::Image out = img;
  uint32_t state = 987654321;
  for (uint8_t& v : out.rgb) {
    state = state * 1664525u + 1013904223u;
    const int noise = static_cast<int>(state % (2 * amplitude + 1)) - amplitude;
    v = static_cast<uint8_t>(std::clamp(v + noise, 0, 255));
  }
  return out;
}

TEST(MsSsimTest, IdenticalImagesScoreExactlyOne) {
  const image::Image img = Texture(200, 170);
  absl::StatusOr<double> v = MsSsim(img, img);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(*v, 1.0);
}

// Two flat images have no variance, so every contrast-structure term is 1 and
// only the luminance term of the coarsest scale remains:
// MS-SSIM = ((2ab + C1) / (a^2 + b^2 + C1))^0.1333 with C1 = (0.01 * 255)^2.
TEST(MsSsimTest, FlatImagesReduceToTheCoarsestLuminanceTerm) {
  absl::StatusOr<double> v =
      MsSsim(Constant(200, 180, 100), Constant(200, 180, 110));
  ASSERT_TRUE(v.ok()) << v.status();
  const double c1 = 2.55 * 2.55;
  const double luminance =
      (2.0 * 100 * 110 + c1) / (100.0 * 100 + 110.0 * 110 + c1);
  EXPECT_NEAR(*v, std::pow(luminance, 0.1333), 1e-9);
  EXPECT_NEAR(*v, 0.9993958, 1e-7);  // 0.9954764^0.1333, by hand.
}

TEST(MsSsimTest, FallsAsNoiseGrows) {
  const image::Image img = Texture(240, 200);
  double previous = 1.0;
  for (int amplitude : {2, 8, 24, 64}) {
    absl::StatusOr<double> v = MsSsim(img, AddNoise(img, amplitude));
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_LT(*v, previous) << "amplitude " << amplitude;
    EXPECT_GT(*v, 0.0) << "amplitude " << amplitude;
    previous = *v;
  }
}

TEST(MsSsimTest, IsSymmetric) {
  const image::Image a = Texture(180, 170);
  const image::Image b = AddNoise(a, 20);
  absl::StatusOr<double> ab = MsSsim(a, b), ba = MsSsim(b, a);
  ASSERT_TRUE(ab.ok() && ba.ok());
  EXPECT_NEAR(*ab, *ba, 1e-12);
}

TEST(MsSsimTest, OddSidesAreAccepted) {
  const image::Image a = Texture(kMsSsimMinSide, 203);
  absl::StatusOr<double> v = MsSsim(a, AddNoise(a, 10));
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_GT(*v, 0.5);
  EXPECT_LT(*v, 1.0);
}

TEST(MsSsimTest, RejectsSmallOrMismatchedImages) {
  EXPECT_EQ(
      MsSsim(Constant(160, 300, 9), Constant(160, 300, 9)).status().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      MsSsim(Constant(200, 200, 9), Constant(200, 202, 9)).status().code(),
      absl::StatusCode::kInvalidArgument);
  image::Image broken = Constant(200, 200, 9);
  broken.rgb.pop_back();
  EXPECT_EQ(MsSsim(broken, broken).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vlmc::metrics
