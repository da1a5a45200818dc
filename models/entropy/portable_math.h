#ifndef VLMC_MODELS_ENTROPY_PORTABLE_MATH_H_
#define VLMC_MODELS_ENTROPY_PORTABLE_MATH_H_

namespace vlmc::entropy {

// Elementary functions built only from IEEE-754 + - * / and comparisons, in a
// fixed order of operations, so they return bit-identical results on every
// machine and compiler. libm results differ between implementations in the
// last bits, which would change quantised CDF tables and break decoding
// across machines. The .cc is compiled with -ffp-contract=off because a fused
// multiply-add rounds differently.

// e^x, relative error below ~1e-15 for normal results.
double PortableExp(double x);

// Natural logarithm for x > 0 (NaN for x <= 0 or NaN), relative error below
// ~1e-15.
double PortableLog(double x);

// Complementary error function, relative error below ~1e-12 while the result
// is a normal double (x < 26).
double PortableErfc(double x);

}  // namespace vlmc::entropy

#endif  // VLMC_MODELS_ENTROPY_PORTABLE_MATH_H_
