#include "models/entropy/integer_cdf.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <queue>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

// Compiled with -ffp-contract=off (see CMakeLists.txt): the quantisation must
// round identically on every machine, so no fused multiply-add may appear.

namespace vlmc::entropy {
namespace {

// Symbols whose share of the budget would fall below one count are "pinned"
// to exactly one count; the rest share what is left. Re-scaling can push more
// symbols below one count, so this repeats; a few rounds always suffice in
// practice and the fix-up below makes any leftover error harmless.
constexpr int kMaxPinRounds = 64;

int64_t FloorNonNegative(double x) { return static_cast<int64_t>(x); }

// Quantises non-negative `probs` (positive sum) into counts >= 1 summing to
// `total`. Requires probs.size() <= total.
std::vector<uint32_t> QuantizeToTotal(const std::vector<double>& probs,
                                      int64_t total) {
  const size_t m = probs.size();
  std::vector<bool> pinned(m, false);
  int64_t num_pinned = 0;
  auto free_mass = [&] {
    double mass = 0.0;
    for (size_t i = 0; i < m; ++i) {
      if (!pinned[i]) mass += probs[i];
    }
    return mass;
  };
  for (int round = 0; round < kMaxPinRounds; ++round) {
    const double mass = free_mass();
    if (!(mass > 0.0)) break;
    const double budget = static_cast<double>(total - num_pinned);
    bool changed = false;
    for (size_t i = 0; i < m; ++i) {
      if (!pinned[i] && probs[i] / mass * budget < 1.0) {
        pinned[i] = true;
        ++num_pinned;
        changed = true;
      }
    }
    if (!changed) break;
  }

  std::vector<uint32_t> freq(m, 1);
  std::vector<double> frac(m, 0.0);
  int64_t assigned = 0;
  const double mass = free_mass();
  const double budget = static_cast<double>(total - num_pinned);
  for (size_t i = 0; i < m; ++i) {
    if (!pinned[i] && mass > 0.0) {
      const double x = probs[i] / mass * budget;
      const int64_t whole = std::max<int64_t>(1, FloorNonNegative(x));
      freq[i] = static_cast<uint32_t>(std::min<int64_t>(whole, total));
      frac[i] = x - static_cast<double>(whole);
    }
    assigned += freq[i];
  }

  int64_t deficit = total - assigned;
  if (deficit > 0) {
    // Largest remainder first; the index breaks ties, so the order is unique.
    std::vector<size_t> order;
    for (size_t i = 0; i < m; ++i) {
      if (!pinned[i]) order.push_back(i);
    }
    if (order.empty()) {
      for (size_t i = 0; i < m; ++i) order.push_back(i);
    }
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      if (frac[a] != frac[b]) return frac[a] > frac[b];
      return a < b;
    });
    for (size_t k = 0; deficit > 0; ++k, --deficit) {
      ++freq[order[k % order.size()]];
    }
  } else if (deficit < 0) {
    // Taking one count from the largest frequency costs the fewest bits.
    // Ties go to the lowest index.
    std::priority_queue<std::pair<uint32_t, int64_t>> largest;
    for (size_t i = 0; i < m; ++i) {
      largest.emplace(freq[i], -static_cast<int64_t>(i));
    }
    for (; deficit < 0; ++deficit) {
      auto [f, neg_index] = largest.top();
      largest.pop();
      const size_t i = static_cast<size_t>(-neg_index);
      --freq[i];
      largest.emplace(f - 1, neg_index);
    }
  }
  return freq;
}

}  // namespace

absl::StatusOr<IntegerCdf> BuildIntegerCdf(const std::vector<double>& pmf,
                                           int32_t offset) {
  if (pmf.empty() || pmf.size() > static_cast<size_t>(kMaxCdfValues)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "pmf must have 1..", kMaxCdfValues, " entries, got ", pmf.size()));
  }
  if (int64_t{offset} + static_cast<int64_t>(pmf.size()) - 1 >
      std::numeric_limits<int32_t>::max()) {
    return absl::InvalidArgumentError("pmf values overflow int32");
  }
  double sum = 0.0;
  for (size_t i = 0; i < pmf.size(); ++i) {
    const double p = pmf[i];
    if (!(p >= 0.0) || p > std::numeric_limits<double>::max()) {
      return absl::InvalidArgumentError(
          absl::StrCat("pmf[", i, "] is negative or not finite: ", p));
    }
    sum += p;
  }
  if (sum > std::numeric_limits<double>::max()) {
    return absl::InvalidArgumentError("pmf sum overflows");
  }

  std::vector<double> probs(pmf);
  probs.push_back(sum < 1.0 ? 1.0 - sum : 0.0);  // Escape.
  const std::vector<uint32_t> freq = QuantizeToTotal(probs, kCdfTotal);

  IntegerCdf result;
  result.offset = offset;
  result.cdf.resize(freq.size() + 1);
  result.cdf[0] = 0;
  for (size_t i = 0; i < freq.size(); ++i) {
    result.cdf[i + 1] = result.cdf[i] + freq[i];
  }
  return result;
}

absl::Status ValidateIntegerCdf(const IntegerCdf& cdf) {
  const size_t size = cdf.cdf.size();
  if (size < 3 || size > static_cast<size_t>(kMaxCdfValues) + 2) {
    return absl::DataLossError(absl::StrCat(
        "cdf must have 3..", kMaxCdfValues + 2, " entries, got ", size));
  }
  if (cdf.cdf.front() != 0 || cdf.cdf.back() != kCdfTotal) {
    return absl::DataLossError(
        absl::StrCat("cdf must run from 0 to ", kCdfTotal));
  }
  for (size_t i = 1; i < size; ++i) {
    if (cdf.cdf[i] <= cdf.cdf[i - 1]) {
      return absl::DataLossError(
          absl::StrCat("cdf not strictly increasing at ", i));
    }
  }
  if (int64_t{cdf.offset} + cdf.num_values() - 1 >
      std::numeric_limits<int32_t>::max()) {
    return absl::DataLossError("cdf values overflow int32");
  }
  return absl::OkStatus();
}

FlatCdfs FlattenCdfs(const std::vector<IntegerCdf>& cdfs) {
  FlatCdfs flat;
  flat.lengths.reserve(cdfs.size());
  flat.offsets.reserve(cdfs.size());
  for (const IntegerCdf& cdf : cdfs) {
    flat.lengths.push_back(static_cast<int32_t>(cdf.cdf.size()));
    flat.offsets.push_back(cdf.offset);
    for (uint32_t c : cdf.cdf) {
      flat.cdf_values.push_back(static_cast<int32_t>(c));
    }
  }
  return flat;
}

absl::StatusOr<std::vector<IntegerCdf>> UnflattenCdfs(const FlatCdfs& flat) {
  if (flat.lengths.size() != flat.offsets.size()) {
    return absl::DataLossError(
        absl::StrCat("cdf lengths (", flat.lengths.size(), ") and offsets (",
                     flat.offsets.size(), ") differ in count"));
  }
  std::vector<IntegerCdf> cdfs(flat.lengths.size());
  size_t pos = 0;
  for (size_t t = 0; t < cdfs.size(); ++t) {
    const int32_t length = flat.lengths[t];
    if (length < 3 || length > kMaxCdfValues + 2 ||
        static_cast<size_t>(length) > flat.cdf_values.size() - pos) {
      return absl::DataLossError(
          absl::StrCat("cdf ", t, " has a bad length ", length));
    }
    IntegerCdf& cdf = cdfs[t];
    cdf.offset = flat.offsets[t];
    cdf.cdf.reserve(length);
    for (int32_t i = 0; i < length; ++i) {
      const int32_t c = flat.cdf_values[pos + i];
      if (c < 0) {
        return absl::DataLossError(
            absl::StrCat("cdf ", t, " has a negative entry"));
      }
      cdf.cdf.push_back(static_cast<uint32_t>(c));
    }
    pos += static_cast<size_t>(length);
    if (absl::Status s = ValidateIntegerCdf(cdf); !s.ok()) {
      return absl::DataLossError(absl::StrCat("cdf ", t, ": ", s.message()));
    }
  }
  if (pos != flat.cdf_values.size()) {
    return absl::DataLossError(absl::StrCat(
        "cdf values hold ", flat.cdf_values.size() - pos, " trailing entries"));
  }
  return cdfs;
}

}  // namespace vlmc::entropy
