#include "models/entropy/portable_math.h"

#include <cstdint>
#include <cstring>
#include <limits>

// Compiled with -ffp-contract=off (see CMakeLists.txt and the header).

namespace vlmc::entropy {
namespace {

// ln 2 split so that k * kLn2Hi is exact for |k| < 2^20 (fdlibm's constants).
constexpr double kLn2Hi = 6.93147180369123816490e-01;
constexpr double kLn2Lo = 1.90821492927058770002e-10;
constexpr double kInvLn2 = 1.44269504088896338700e+00;
constexpr double kSqrt2 = 1.41421356237309504880;
constexpr double kInvSqrtPi = 0.56418958354775628695;

// Taylor series of e^r to degree 14: the next term is below 1e-19 for
// |r| <= ln(2)/2.
constexpr int kExpDegree = 14;
// Odd terms of the atanh series up to z^(2*kLogTerms-1), |z| <= 0.172.
constexpr int kLogTerms = 16;
// Below kErfcSeriesLimit erfc = 1 - erf from a series of positive terms;
// above it a continued fraction. Both are accurate to ~1e-13 relative.
constexpr double kErfcSeriesLimit = 2.0;
constexpr int kErfSeriesTerms = 64;
constexpr int kErfcFractionTerms = 50;

// 2^e for -1022 <= e <= 1023, built from the bits so it is exact.
double TwoPow(int e) {
  const uint64_t bits = static_cast<uint64_t>(e + 1023) << 52;
  double result;
  std::memcpy(&result, &bits, sizeof(result));
  return result;
}

}  // namespace

double PortableExp(double x) {
  if (x != x) return x;
  if (x > 709.78) return std::numeric_limits<double>::infinity();
  if (x < -745.2) return 0.0;
  // x = k ln2 + r with |r| <= ln2 / 2, rounding k half away from zero.
  const double kf = x * kInvLn2;
  const int k = static_cast<int>(kf < 0.0 ? kf - 0.5 : kf + 0.5);
  const double r = (x - k * kLn2Hi) - k * kLn2Lo;
  double p = 1.0;
  for (int n = kExpDegree; n >= 1; --n) p = 1.0 + p * r / n;
  // Scale in two steps so subnormal results round once, deterministically.
  int e = k;
  if (e < -1000) {
    p *= TwoPow(-1000);
    e += 1000;
  } else if (e > 1000) {
    p *= TwoPow(1000);
    e -= 1000;
  }
  return p * TwoPow(e);
}

double PortableLog(double x) {
  if (!(x > 0.0)) return std::numeric_limits<double>::quiet_NaN();
  if (x > std::numeric_limits<double>::max()) return x;
  // x = m * 2^e with m in [sqrt(2)/2, sqrt(2)); halving and doubling are
  // exact for normal numbers.
  int e = 0;
  double m = x;
  while (m < 1.0) {
    m *= 2.0;
    --e;
  }
  while (m >= 2.0) {
    m *= 0.5;
    ++e;
  }
  if (m >= kSqrt2) {
    m *= 0.5;
    ++e;
  }
  // ln m = 2 atanh(z) = 2 (z + z^3/3 + z^5/5 + ...), z = (m-1)/(m+1).
  const double z = (m - 1.0) / (m + 1.0);
  const double z2 = z * z;
  double s = 0.0;
  for (int n = kLogTerms - 1; n >= 0; --n) s = 1.0 / (2 * n + 1) + z2 * s;
  return (e * kLn2Hi + 2.0 * z * s) + e * kLn2Lo;
}

double PortableErfc(double x) {
  if (x != x) return x;
  if (x < 0.0) return 2.0 - PortableErfc(-x);
  if (x > 27.3) return 0.0;  // Below the smallest subnormal.
  const double x2 = x * x;
  const double gauss = PortableExp(-x2);
  if (x < kErfcSeriesLimit) {
    // erf x = 2/sqrt(pi) e^(-x^2) sum_n (2x^2)^n x / (1*3*...*(2n+1)).
    double term = x;
    double sum = x;
    for (int n = 1; n < kErfSeriesTerms; ++n) {
      term = term * (2.0 * x2) / (2 * n + 1);
      sum += term;
    }
    return 1.0 - 2.0 * kInvSqrtPi * gauss * sum;
  }
  // erfc x = 2x e^(-x^2) / sqrt(pi) / (2x^2+1 - 1*2/(2x^2+5 - 3*4/(2x^2+9 -
  // ...))), evaluated from a fixed depth upwards.
  double f = 2.0 * x2 + (4 * kErfcFractionTerms + 1);
  for (int k = kErfcFractionTerms; k >= 1; --k) {
    f = 2.0 * x2 + (4 * k - 3) - static_cast<double>((2 * k - 1) * (2 * k)) / f;
  }
  return 2.0 * x * kInvSqrtPi * gauss / f;
}

}  // namespace vlmc::entropy
