#include "models/image/resample.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "absl/strings/str_cat.h"

namespace vlmc::image {
namespace {

constexpr int kTaps = 4;

absl::Status CheckFactor(int factor) {
  if (factor == 1 || factor == 2 || factor == 4) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("resampling factor ", factor, " is not 1, 2 or 4"));
}

// Keys' cubic convolution kernel with a = -0.5.
double KeysCubic(double t) {
  t = std::abs(t);
  if (t < 1) return 1.5 * t * t * t - 2.5 * t * t + 1;
  if (t < 2) return -0.5 * t * t * t + 2.5 * t * t - 4 * t + 2;
  return 0;
}

// The four integer weights of each output phase, and the offset of the first
// input pixel they apply to. For factors 2 and 4 every phase's fraction is a
// multiple of 1/8, so the kernel values are exact in double and the rounded
// weights cannot depend on the machine.
struct Phase {
  int first_offset;  // input index of tap 0 relative to x / factor
  std::array<int32_t, kTaps> weights;
};

std::vector<Phase> MakePhases(int factor) {
  std::vector<Phase> phases(factor);
  for (int p = 0; p < factor; ++p) {
    const double source = (p + 0.5) / factor - 0.5;
    const int base = static_cast<int>(std::floor(source));
    const double fraction = source - base;
    Phase& phase = phases[p];
    phase.first_offset = base - 1;
    int32_t sum = 0, largest = 0;
    for (int k = 0; k < kTaps; ++k) {
      phase.weights[k] = static_cast<int32_t>(std::lround(
          KeysCubic(k - 1 - fraction) * (1 << kResampleWeightBits)));
      sum += phase.weights[k];
      if (phase.weights[k] > phase.weights[largest]) largest = k;
    }
    // Keep the sum exact so that flat areas stay flat.
    phase.weights[largest] += (1 << kResampleWeightBits) - sum;
  }
  return phases;
}

}  // namespace

absl::StatusOr<Image> DownscaleByBlockMean(const Image& image, int factor) {
  if (absl::Status valid = ValidateImage(image); !valid.ok()) return valid;
  if (absl::Status f = CheckFactor(factor); !f.ok()) return f;
  Image out;
  out.width = (image.width + factor - 1) / factor;
  out.height = (image.height + factor - 1) / factor;
  out.rgb.resize(static_cast<size_t>(out.width) * out.height * 3);
  const int area = factor * factor;
  for (int y = 0; y < out.height; ++y) {
    for (int x = 0; x < out.width; ++x) {
      for (int c = 0; c < 3; ++c) {
        int sum = 0;
        for (int dy = 0; dy < factor; ++dy) {
          const int sy = std::min(y * factor + dy, image.height - 1);
          for (int dx = 0; dx < factor; ++dx) {
            const int sx = std::min(x * factor + dx, image.width - 1);
            sum +=
                image.rgb[(static_cast<size_t>(sy) * image.width + sx) * 3 + c];
          }
        }
        out.rgb[(static_cast<size_t>(y) * out.width + x) * 3 + c] =
            static_cast<uint8_t>((sum + area / 2) / area);
      }
    }
  }
  return out;
}

absl::StatusOr<Image> UpscaleCubic(const Image& coded, int factor, int width,
                                   int height) {
  if (absl::Status valid = ValidateImage(coded); !valid.ok()) return valid;
  if (absl::Status f = CheckFactor(factor); !f.ok()) return f;
  const auto fits = [factor](int extent, int coded_extent) {
    return extent >= 1 &&
           static_cast<int64_t>(extent) <=
               static_cast<int64_t>(coded_extent) * factor &&
           static_cast<int64_t>(extent) >
               static_cast<int64_t>(coded_extent - 1) * factor;
  };
  if (!fits(width, coded.width) || !fits(height, coded.height)) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot upsample a ", coded.width, "x", coded.height,
                     " image by ", factor, " to ", width, "x", height));
  }
  const std::vector<Phase> phases = MakePhases(factor);
  const auto tap_index = [&](int out_index, int k, int extent) {
    const int source =
        out_index / factor + phases[out_index % factor].first_offset + k;
    return std::clamp(source, 0, extent - 1);
  };

  // Horizontal pass: int32 rows, weights applied but not yet normalised
  // (|value| < 2^8 * 2^14 * 1.3).
  std::vector<int32_t> rows(static_cast<size_t>(coded.height) * width * 3);
  for (int y = 0; y < coded.height; ++y) {
    const uint8_t* in = &coded.rgb[static_cast<size_t>(y) * coded.width * 3];
    int32_t* out = &rows[static_cast<size_t>(y) * width * 3];
    for (int x = 0; x < width; ++x) {
      const Phase& phase = phases[x % factor];
      for (int c = 0; c < 3; ++c) {
        int32_t sum = 0;
        for (int k = 0; k < kTaps; ++k)
          sum += phase.weights[k] * in[tap_index(x, k, coded.width) * 3 + c];
        out[x * 3 + c] = sum;
      }
    }
  }
  // Vertical pass in int64, then one rounding to 8 bits.
  constexpr int kShift = 2 * kResampleWeightBits;
  constexpr int64_t kHalf = int64_t{1} << (kShift - 1);
  Image result;
  result.width = width;
  result.height = height;
  result.rgb.resize(static_cast<size_t>(width) * height * 3);
  for (int y = 0; y < height; ++y) {
    const Phase& phase = phases[y % factor];
    std::array<const int32_t*, kTaps> taps;
    for (int k = 0; k < kTaps; ++k) {
      taps[k] =
          &rows[static_cast<size_t>(tap_index(y, k, coded.height)) * width * 3];
    }
    uint8_t* out = &result.rgb[static_cast<size_t>(y) * width * 3];
    for (int i = 0; i < width * 3; ++i) {
      int64_t sum = 0;
      for (int k = 0; k < kTaps; ++k)
        sum += int64_t{phase.weights[k]} * taps[k][i];
      // Floor division keeps the rounding the same for negative sums.
      const int64_t value = (sum + kHalf) >> kShift;
      out[i] = static_cast<uint8_t>(std::clamp<int64_t>(value, 0, 255));
    }
  }
  return result;
}

}  // namespace vlmc::image
