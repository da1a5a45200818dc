#ifndef VLMC_MODELS_CODEC_INTEGER_DOT_H_
#define VLMC_MODELS_CODEC_INTEGER_DOT_H_

#include <cstdint>

// Integer arithmetic gives the same result with any instruction set, so the
// integer convolutions are also compiled for AVX2 (picked at load time where
// the CPU has it) to vectorise the int32 x int32 -> int64 products.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define VLMC_INTEGER_MULTIVERSION \
  __attribute__((target_clones("avx2", "default")))
#else
#define VLMC_INTEGER_MULTIVERSION
#endif

namespace vlmc::codec {

// sums[k] += dot(w + k * w_stride, x) over n values for k < kBlock: the
// output channels of a block share every input load. Each product is exact in
// int64 (|w|, |x| < 2^31); with Sum = uint64_t the sums wrap modulo 2^64
// (defined behaviour), with int64_t the caller proves they cannot overflow.
template <int kBlock, typename Sum = int64_t>
inline void AddIntegerDots(const int32_t* w, int64_t w_stride, const int32_t* x,
                           int64_t n, Sum* sums) {
  Sum s[kBlock] = {};
  for (int64_t i = 0; i < n; ++i) {
    const int64_t v = x[i];
    for (int k = 0; k < kBlock; ++k)
      s[k] += static_cast<Sum>(w[k * w_stride + i] * v);
  }
  for (int k = 0; k < kBlock; ++k) sums[k] += s[k];
}

}  // namespace vlmc::codec

#endif  // VLMC_MODELS_CODEC_INTEGER_DOT_H_
