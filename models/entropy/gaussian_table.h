#ifndef VLMC_MODELS_ENTROPY_GAUSSIAN_TABLE_H_
#define VLMC_MODELS_ENTROPY_GAUSSIAN_TABLE_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "models/entropy/integer_cdf.h"

namespace vlmc::entropy {

// The Gaussian conditional's fixed scale table: latents are coded with the
// zero-mean discretised Gaussian of the smallest table scale at or above the
// predicted scale (mean subtracted beforehand by the caller).
//
// Encoder and decoder must agree on every integer of these tables, so they
// are computed with portable_math (no libm) in a -ffp-contract=off file and
// are identical on every IEEE-754 machine; a golden checksum test pins them.
class GaussianScaleTable {
 public:
  // CompressAI's default scale table: log-spaced from kMinScale to kMaxScale.
  static constexpr int kNumScales = 64;
  static constexpr double kMinScale = 0.11;
  static constexpr double kMaxScale = 256.0;
  // Tables cover -R..R with R = ceil(kTailWidth * scale); the escape symbol
  // takes the remaining ~2e-9 of the mass.
  static constexpr double kTailWidth = 6.0;

  // Built on first use (thread-safe), never destroyed.
  static const GaussianScaleTable& Default();

  int size() const { return static_cast<int>(scales_.size()); }
  // Index is clamped to [0, size()-1].
  double scale(int index) const;
  // Smallest index whose scale is >= `scale`, clamped to [0, size()-1]; NaN
  // and scales above the table map to size()-1.
  int IndexForScale(float scale) const;
  // IndexForScale of the exact value `scale` / 2^kFixedPointScaleBits,
  // decided by integer comparisons only (no float rounding can move a
  // symbol to a neighbouring table); used by format-2 streams.
  static constexpr int kFixedPointScaleBits = 16;
  int IndexForFixedPointScale(int64_t scale) const;
  // P(v) = Phi((v+.5)/s) - Phi((v-.5)/s) for v in -R..R, offset -R. Index is
  // clamped to [0, size()-1].
  const IntegerCdf& cdf(int index) const;

 private:
  GaussianScaleTable(std::vector<double> scales, std::vector<IntegerCdf> cdfs);
  static GaussianScaleTable* Build();
  int Clamp(int index) const;

  std::vector<double> scales_;
  std::vector<IntegerCdf> cdfs_;
  // floor(scale(i) * 2^kFixedPointScaleBits): scale(i) >= v / 2^bits exactly
  // when the integer v <= this.
  std::vector<int64_t> fixed_point_thresholds_;
};

}  // namespace vlmc::entropy

#endif  // VLMC_MODELS_ENTROPY_GAUSSIAN_TABLE_H_
