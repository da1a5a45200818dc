#ifndef VLMC_MODELS_ENTROPY_INTEGER_CDF_H_
#define VLMC_MODELS_ENTROPY_INTEGER_CDF_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace vlmc::entropy {

// Frequencies are integers summing to 1 << kCdfPrecisionBits. The rANS coder
// keeps its 32-bit state in [2^23, 2^31) with byte-wise renormalisation
// (ryg_rans rans_byte.h), which works for at most 16 bits of precision; the
// finest precision wastes the fewest bits on quantising probabilities.
inline constexpr int kCdfPrecisionBits = 16;
inline constexpr uint32_t kCdfTotal = uint32_t{1} << kCdfPrecisionBits;

// Most in-range values a table may hold. Every symbol (values plus escape)
// needs at least one count; capping the symbol count at half the total keeps
// at least half of the probability mass for the actual distribution shape.
inline constexpr int kMaxCdfValues = (1 << 15) - 1;

// Integer CDF over the values offset .. offset+num_values()-1, plus one escape
// symbol (index num_values()) that stands for every other value.
struct IntegerCdf {
  int32_t offset = 0;         // Value coded by symbol 0.
  std::vector<uint32_t> cdf;  // num_values+2 entries: 0, ..., kCdfTotal,
                              // strictly increasing.
  int num_values() const { return static_cast<int>(cdf.size()) - 2; }
};

// Quantises `pmf` (probabilities of offset, offset+1, ...) into an IntegerCdf.
// The pmf need not sum to 1: the missing mass goes to the escape symbol (a pmf
// summing to more than 1 is normalised). Every symbol gets at least one count.
// The result depends only on the pmf bits: the arithmetic is + - * / on
// doubles in a fixed order, so all IEEE-754 machines build the same table.
// INVALID_ARGUMENT if pmf is empty, longer than kMaxCdfValues, holds a
// negative or non-finite entry, or the values would overflow int32.
absl::StatusOr<IntegerCdf> BuildIntegerCdf(const std::vector<double>& pmf,
                                           int32_t offset);

// Checks the invariants above; meant for tables read from files. DATA_LOSS
// if the table is malformed.
absl::Status ValidateIntegerCdf(const IntegerCdf& cdf);

// Tables flattened into int32 arrays for storage in a model file: the cdf
// vectors concatenated, one length (cdf.size(), i.e. num_values+2) and one
// offset per table.
struct FlatCdfs {
  std::vector<int32_t> cdf_values;
  std::vector<int32_t> lengths;
  std::vector<int32_t> offsets;
};

FlatCdfs FlattenCdfs(const std::vector<IntegerCdf>& cdfs);

// Inverse of FlattenCdfs. Validates the layout and every table; DATA_LOSS if
// anything is inconsistent.
absl::StatusOr<std::vector<IntegerCdf>> UnflattenCdfs(const FlatCdfs& flat);

}  // namespace vlmc::entropy

#endif  // VLMC_MODELS_ENTROPY_INTEGER_CDF_H_
