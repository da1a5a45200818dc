#include "models/codec/integer_winograd.h"

#include <algorithm>
#include <cstdlib>

#include "models/codec/integer_dot.h"

namespace vlmc::codec {
namespace {

constexpr int kTile = 4;                // input tile side (2 outputs + 2)
constexpr int kPoints = kTile * kTile;  // transformed values per channel

// 4 * (G g G^T) for one 3x3 filter g (row-major), G = [[1, 0, 0],
// [1/2, 1/2, 1/2], [1/2, -1/2, 1/2], [0, 0, 1]]: with G' = 2G every entry is
// an integer.
void TransformFilter(const int64_t g[3][3], int64_t out[kTile][kTile]) {
  int64_t rows[kTile][3];  // G' g
  for (int k = 0; k < 3; ++k) {
    rows[0][k] = 2 * g[0][k];
    rows[1][k] = g[0][k] + g[1][k] + g[2][k];
    rows[2][k] = g[0][k] - g[1][k] + g[2][k];
    rows[3][k] = 2 * g[2][k];
  }
  for (int r = 0; r < kTile; ++r) {  // (G' g) G'^T
    out[r][0] = 2 * rows[r][0];
    out[r][1] = rows[r][0] + rows[r][1] + rows[r][2];
    out[r][2] = rows[r][0] - rows[r][1] + rows[r][2];
    out[r][3] = 2 * rows[r][2];
  }
}

// B^T d B of the 4x4 input tile at `tile` (channels-last, `row_stride` values
// per row) for every channel: v[p * in + c], p = 4 * row + column. B^T =
// [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]]; |v| <= 4 |d|.
void TransformInput(const int32_t* tile, int64_t row_stride, int64_t in,
                    int32_t* v, int32_t* rows) {
  // rows[(4 * r + x) * in + c] = (B^T d)[r][x]
  for (int x = 0; x < kTile; ++x) {
    const int32_t* d0 = tile + x * in;
    const int32_t* d1 = d0 + row_stride;
    const int32_t* d2 = d1 + row_stride;
    const int32_t* d3 = d2 + row_stride;
    int32_t* r0 = rows + x * in;
    int32_t* r1 = r0 + kTile * in;
    int32_t* r2 = r1 + kTile * in;
    int32_t* r3 = r2 + kTile * in;
    for (int64_t c = 0; c < in; ++c) {
      r0[c] = d0[c] - d2[c];
      r1[c] = d1[c] + d2[c];
      r2[c] = d2[c] - d1[c];
      r3[c] = d1[c] - d3[c];
    }
  }
  for (int r = 0; r < kTile; ++r) {  // (B^T d) B, along the row
    const int32_t* t0 = rows + (kTile * r) * in;
    const int32_t* t1 = t0 + in;
    const int32_t* t2 = t1 + in;
    const int32_t* t3 = t2 + in;
    int32_t* v0 = v + (kTile * r) * in;
    int32_t* v1 = v0 + in;
    int32_t* v2 = v1 + in;
    int32_t* v3 = v2 + in;
    for (int64_t c = 0; c < in; ++c) {
      v0[c] = t0[c] - t2[c];
      v1[c] = t1[c] + t2[c];
      v2[c] = t2[c] - t1[c];
      v3[c] = t1[c] - t3[c];
    }
  }
}

}  // namespace

std::optional<IntegerWinograd> IntegerWinograd::Make(
    const std::vector<int32_t>& weights, int64_t in_channels,
    int64_t out_channels, int64_t input_limit, int64_t sum_limit) {
  std::vector<int32_t> transformed(kPoints * out_channels * in_channels);
  for (int64_t o = 0; o < out_channels; ++o) {
    // The direct sum is at most l1 * input_limit; 4 times it must fit.
    int64_t l1 = 0;
    for (int64_t c = 0; c < in_channels; ++c) {
      int64_t g[3][3], u[kTile][kTile];
      for (int ky = 0; ky < 3; ++ky) {
        for (int kx = 0; kx < 3; ++kx) {
          g[ky][kx] = weights[((o * 3 + ky) * 3 + kx) * in_channels + c];
          l1 += std::abs(g[ky][kx]);
        }
      }
      TransformFilter(g, u);
      for (int p = 0; p < kPoints; ++p) {
        const int64_t value = u[p / kTile][p % kTile];
        // |value| <= 36 * 2^25 for the weights IntegerConvLayer allows.
        if (std::abs(value) > INT32_MAX) return std::nullopt;
        transformed[(p * out_channels + o) * in_channels + c] =
            static_cast<int32_t>(value);
      }
    }
    if (l1 > sum_limit / 4 / input_limit) return std::nullopt;
  }
  return IntegerWinograd(in_channels, out_channels, std::move(transformed));
}

VLMC_INTEGER_MULTIVERSION
void IntegerWinograd::TileRow(const int32_t* input, int64_t row_stride,
                              int64_t tiles, int64_t tile_row,
                              int64_t* sums) const {
  const int64_t in = in_, out = out_;
  std::vector<int32_t> v(kPoints * in), rows(kPoints * in);
  // Partial sums wrap modulo 2^64 (unsigned: defined behaviour); only the
  // final 4 x sum, which Make proved to fit int64, is read back as signed.
  std::vector<uint64_t> m(kPoints * out);
  const int64_t width = 2 * tiles;
  for (int64_t t = 0; t < tiles; ++t) {
    TransformInput(input + 2 * tile_row * row_stride + 2 * t * in, row_stride,
                   in, v.data(), rows.data());
    std::fill(m.begin(), m.end(), 0);
    for (int p = 0; p < kPoints; ++p) {
      const int32_t* u = transformed_.data() + p * out * in;
      uint64_t* mp = m.data() + p * out;
      int64_t o = 0;
      for (; o + 4 <= out; o += 4)
        AddIntegerDots<4, uint64_t>(u + o * in, in, v.data() + p * in, in,
                                    mp + o);
      for (; o < out; ++o)
        AddIntegerDots<1, uint64_t>(u + o * in, in, v.data() + p * in, in,
                                    mp + o);
    }
    // A^T M A with A^T = [[1, 1, 1, 0], [0, 1, -1, -1]], then / 4 (exact:
    // the result is 4 times an integer sum).
    for (int64_t o = 0; o < out; ++o) {
      uint64_t a[2][kTile];
      for (int x = 0; x < kTile; ++x) {
        const uint64_t m0 = m[(0 * kTile + x) * out + o];
        const uint64_t m1 = m[(1 * kTile + x) * out + o];
        const uint64_t m2 = m[(2 * kTile + x) * out + o];
        const uint64_t m3 = m[(3 * kTile + x) * out + o];
        a[0][x] = m0 + m1 + m2;
        a[1][x] = m1 - m2 - m3;
      }
      for (int r = 0; r < 2; ++r) {
        int64_t* row = sums + (r * width + 2 * t) * out + o;
        row[0] = static_cast<int64_t>(a[r][0] + a[r][1] + a[r][2]) / 4;
        row[out] = static_cast<int64_t>(a[r][1] - a[r][2] - a[r][3]) / 4;
      }
    }
  }
}

}  // namespace vlmc::codec
