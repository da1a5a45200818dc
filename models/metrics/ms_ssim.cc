#include "models/metrics/ms_ssim.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace vlmc::metrics {
namespace {

constexpr int kScales = 5;
constexpr std::array<double, kScales> kWeights = {0.0448, 0.2856, 0.3001,
                                                  0.2363, 0.1333};
constexpr int kWindow = 11;
constexpr double kSigma = 1.5;
constexpr double kC1 = (0.01 * 255) * (0.01 * 255);
constexpr double kC2 = (0.03 * 255) * (0.03 * 255);

struct Plane {
  int width = 0;
  int height = 0;
  std::vector<double> v;  // Row-major.
};

std::array<double, kWindow> GaussianWindow() {
  std::array<double, kWindow> w{};
  double sum = 0;
  for (int i = 0; i < kWindow; ++i) {
    const double d = i - kWindow / 2;
    w[i] = std::exp(-d * d / (2 * kSigma * kSigma));
    sum += w[i];
  }
  for (double& x : w) x /= sum;
  return w;
}

Plane Channel(const image::Image& img, int c) {
  Plane p{img.width, img.height,
          std::vector<double>(size_t{1} * img.width * img.height)};
  for (size_t i = 0; i < p.v.size(); ++i) p.v[i] = img.rgb[i * 3 + c];
  return p;
}

// Separable Gaussian filter at the "valid" positions: (w - 10) x (h - 10).
Plane Filter(const Plane& in, const std::array<double, kWindow>& g) {
  const int ow = in.width - kWindow + 1, oh = in.height - kWindow + 1;
  std::vector<double> rows(size_t{1} * ow * in.height);
  for (int y = 0; y < in.height; ++y) {
    const double* src = &in.v[size_t{1} * y * in.width];
    for (int x = 0; x < ow; ++x) {
      double s = 0;
      for (int k = 0; k < kWindow; ++k) s += g[k] * src[x + k];
      rows[size_t{1} * y * ow + x] = s;
    }
  }
  Plane out{ow, oh, std::vector<double>(size_t{1} * ow * oh)};
  for (int y = 0; y < oh; ++y) {
    for (int x = 0; x < ow; ++x) {
      double s = 0;
      for (int k = 0; k < kWindow; ++k) {
        s += g[k] * rows[size_t{1} * (y + k) * ow + x];
      }
      out.v[size_t{1} * y * ow + x] = s;
    }
  }
  return out;
}

Plane Product(const Plane& a, const Plane& b) {
  Plane p{a.width, a.height, std::vector<double>(a.v.size())};
  for (size_t i = 0; i < p.v.size(); ++i) p.v[i] = a.v[i] * b.v[i];
  return p;
}

// 2x2 mean keeping every second pixel; a missing last row or column repeats
// the one before it (MATLAB's 'symmetric' extension).
Plane Downsample(const Plane& in) {
  const int ow = (in.width + 1) / 2, oh = (in.height + 1) / 2;
  Plane out{ow, oh, std::vector<double>(size_t{1} * ow * oh)};
  auto at = [&in](int x, int y) {
    return in.v[size_t{1} * std::min(y, in.height - 1) * in.width +
                std::min(x, in.width - 1)];
  };
  for (int y = 0; y < oh; ++y) {
    for (int x = 0; x < ow; ++x) {
      out.v[size_t{1} * y * ow + x] =
          (at(2 * x, 2 * y) + at(2 * x + 1, 2 * y) + at(2 * x, 2 * y + 1) +
           at(2 * x + 1, 2 * y + 1)) /
          4;
    }
  }
  return out;
}

struct ScaleTerms {
  double ssim = 0;  // Mean of the SSIM map.
  double cs = 0;    // Mean of the contrast-structure map.
};

ScaleTerms Ssim(const Plane& a, const Plane& b,
                const std::array<double, kWindow>& g) {
  const Plane mu_a = Filter(a, g), mu_b = Filter(b, g);
  const Plane aa = Filter(Product(a, a), g), bb = Filter(Product(b, b), g),
              ab = Filter(Product(a, b), g);
  double ssim_sum = 0, cs_sum = 0;
  for (size_t i = 0; i < mu_a.v.size(); ++i) {
    const double ma = mu_a.v[i], mb = mu_b.v[i];
    const double var_a = aa.v[i] - ma * ma, var_b = bb.v[i] - mb * mb;
    const double cov = ab.v[i] - ma * mb;
    const double cs = (2 * cov + kC2) / (var_a + var_b + kC2);
    cs_sum += cs;
    ssim_sum += (2 * ma * mb + kC1) / (ma * ma + mb * mb + kC1) * cs;
  }
  const double n = static_cast<double>(mu_a.v.size());
  return {ssim_sum / n, cs_sum / n};
}

double PlaneMsSsim(Plane a, Plane b, const std::array<double, kWindow>& g) {
  double result = 1;
  for (int scale = 0; scale < kScales; ++scale) {
    const ScaleTerms t = Ssim(a, b, g);
    const double term = scale + 1 < kScales ? t.cs : t.ssim;
    result *= std::pow(std::max(term, 0.0), kWeights[scale]);
    if (scale + 1 < kScales) {
      a = Downsample(a);
      b = Downsample(b);
    }
  }
  return result;
}

}  // namespace

absl::StatusOr<double> MsSsim(const image::Image& reference,
                              const image::Image& test) {
  if (absl::Status s = image::ValidateImage(reference); !s.ok()) return s;
  if (absl::Status s = image::ValidateImage(test); !s.ok()) return s;
  if (reference.width != test.width || reference.height != test.height) {
    return absl::InvalidArgumentError(
        absl::StrCat("MS-SSIM needs equal sizes, got ", reference.width, "x",
                     reference.height, " and ", test.width, "x", test.height));
  }
  if (reference.width < kMsSsimMinSide || reference.height < kMsSsimMinSide) {
    return absl::InvalidArgumentError(
        absl::StrCat("MS-SSIM needs both sides >= ", kMsSsimMinSide,
                     " (5 scales of an ", kWindow, "x", kWindow,
                     " window), got ", reference.width, "x", reference.height));
  }
  const std::array<double, kWindow> g = GaussianWindow();
  double sum = 0;
  for (int c = 0; c < 3; ++c) {
    sum += PlaneMsSsim(Channel(reference, c), Channel(test, c), g);
  }
  return sum / 3;
}

}  // namespace vlmc::metrics
