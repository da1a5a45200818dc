#ifndef VLMC_MODELS_CODEC_INTEGER_WINOGRAD_H_
#define VLMC_MODELS_CODEC_INTEGER_WINOGRAD_H_

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace vlmc::codec {

// An exact integer 3x3 "same" correlation computed by Winograd's F(2x2, 3x3)
// (Lavin and Gray 2016): each 2x2 block of outputs costs 16 instead of 36
// products per input and output channel. The filter transform's halves are
// scaled away (4x the transformed filter, divided out at the end), so every
// step is an integer operation. The partial sums may wrap modulo 2^64; the
// final 4x sum equals 4x the direct correlation's, which Make checks fits
// int64 for inputs within the given limit, so the sums equal the direct
// ones bit for bit. Where it does not fit, Make refuses and the caller
// keeps the direct loop.
class IntegerWinograd {
 public:
  // `weights` [out][3][3][in] as IntegerConvLayer holds them; |input| is at
  // most `input_limit`. nullopt when 4 x some direct sum could exceed
  // `sum_limit` (at most 2^63 - 1) or a transformed weight int32.
  static std::optional<IntegerWinograd> Make(
      const std::vector<int32_t>& weights, int64_t in_channels,
      int64_t out_channels, int64_t input_limit, int64_t sum_limit);

  // Sums (without bias) of output rows 2 * tile_row and 2 * tile_row + 1 for
  // columns x < 2 * tiles: sums[(r * 2 * tiles + x) * out + o], r in {0, 1}.
  // `input` is zero-bordered channels-last with `row_stride` values per row
  // and must hold rows 2 * tile_row ... 2 * tile_row + 3 and columns
  // 0 ... 2 * tiles + 1.
  void TileRow(const int32_t* input, int64_t row_stride, int64_t tiles,
               int64_t tile_row, int64_t* sums) const;

 private:
  IntegerWinograd(int64_t in, int64_t out, std::vector<int32_t> transformed)
      : in_(in), out_(out), transformed_(std::move(transformed)) {}

  int64_t in_, out_;
  std::vector<int32_t> transformed_;  // [16][out][in]: 4 * G g G^T
};

}  // namespace vlmc::codec

#endif  // VLMC_MODELS_CODEC_INTEGER_WINOGRAD_H_
