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
// output channels of a block share every input load.
template <int kBlock>
inline void AddIntegerDots(const int32_t* w, int64_t w_stride,
                           const int32_t* x, int64_t n, int64_t* sums) {
  int64_t s[kBlock] = {};
  for (int64_t i = 0; i < n; ++i) {
    const int64_t v = x[i];
    for (int k = 0; k < kBlock; ++k) s[k] += w[k * w_stride + i] * v;
  }
  for (int k = 0; k < kBlock; ++k) sums[k] += s[k];
}

}  // namespace vlmc::codec

#endif  // VLMC_MODELS_CODEC_INTEGER_DOT_H_
