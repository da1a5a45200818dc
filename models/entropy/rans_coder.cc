#include "models/entropy/rans_coder.h"

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "models/entropy/integer_cdf.h"

namespace vlmc::entropy {
namespace {

// The state lives in [kLower, kLower << 8): one byte of renormalisation at a
// time keeps it there, and kLower >> kCdfPrecisionBits leaves 7 bits of state
// above the precision so decoding never starves.
constexpr uint32_t kLower = uint32_t{1} << 23;
constexpr uint32_t kUpper = kLower << 8;
constexpr uint32_t kSymbolMask = kCdfTotal - 1;

// Escape payloads are bypass coded as uniform 4-bit chunks: first the chunk
// count minus one, then the chunks, least significant first. The payload
// (zigzagged distance from the table's range) is below 2^33 for any int32,
// so nine chunks always suffice.
constexpr int kChunkBits = 4;
constexpr uint32_t kChunkValues = uint32_t{1} << kChunkBits;
constexpr uint32_t kChunkFreq = kCdfTotal >> kChunkBits;
constexpr int kChunkShift = kCdfPrecisionBits - kChunkBits;
constexpr int kMaxChunks = 9;

uint32_t PackSymbol(uint32_t start, uint32_t freq) {
  return start | (freq << kCdfPrecisionBits);
}

}  // namespace

void RansEncoder::Encode(int32_t value, const IntegerCdf& cdf) {
  assert(cdf.cdf.size() >= 3);
  const int64_t n = cdf.num_values();
  const int64_t d = int64_t{value} - cdf.offset;
  if (d >= 0 && d < n) {
    const uint32_t start = cdf.cdf[d];
    symbols_.push_back(PackSymbol(start, cdf.cdf[d + 1] - start));
    return;
  }
  symbols_.push_back(PackSymbol(cdf.cdf[n], cdf.cdf[n + 1] - cdf.cdf[n]));
  // Zigzag by side: below the range is odd, above is even; 0 is adjacent.
  const uint64_t payload = d < 0 ? 2 * static_cast<uint64_t>(-d - 1) + 1
                                 : 2 * static_cast<uint64_t>(d - n);
  int chunks = 1;
  while (chunks < kMaxChunks && (payload >> (kChunkBits * chunks)) != 0) {
    ++chunks;
  }
  symbols_.push_back(PackSymbol((chunks - 1) * kChunkFreq, kChunkFreq));
  for (int i = 0; i < chunks; ++i) {
    const uint32_t chunk = (payload >> (kChunkBits * i)) & (kChunkValues - 1);
    symbols_.push_back(PackSymbol(chunk * kChunkFreq, kChunkFreq));
  }
}

std::string RansEncoder::Finish() {
  // Each symbol emits at most two bytes (freq >= 1 keeps x below 2^31 and
  // x_max at least 2^15), plus four bytes of final state. Bytes are written
  // back to front, so the decoder reads them forwards.
  std::string out(2 * symbols_.size() + 4, '\0');
  char* const end = out.data() + out.size();
  char* ptr = end;
  uint32_t x = kLower;
  for (auto it = symbols_.rbegin(); it != symbols_.rend(); ++it) {
    const uint32_t start = *it & kSymbolMask;
    const uint32_t freq = *it >> kCdfPrecisionBits;
    const uint32_t x_max = ((kLower >> kCdfPrecisionBits) << 8) * freq;
    while (x >= x_max) {
      *--ptr = static_cast<char>(x & 0xFF);
      x >>= 8;
    }
    x = ((x / freq) << kCdfPrecisionBits) + (x % freq) + start;
  }
  for (int shift = 24; shift >= 0; shift -= 8) {
    *--ptr = static_cast<char>((x >> shift) & 0xFF);
  }
  out.erase(0, ptr - out.data());
  symbols_.clear();
  return out;
}

absl::StatusOr<RansDecoder> RansDecoder::Create(absl::string_view data) {
  if (data.size() < 4) {
    return absl::DataLossError(
        absl::StrCat("rANS stream too short: ", data.size(), " bytes"));
  }
  uint32_t state = 0;
  for (int i = 3; i >= 0; --i) {
    state = (state << 8) | static_cast<uint8_t>(data[i]);
  }
  if (state < kLower || state >= kUpper) {
    return absl::DataLossError("rANS stream has an impossible initial state");
  }
  return RansDecoder(data, state);
}

absl::Status RansDecoder::Fail(absl::string_view why) {
  failed_ = true;
  return absl::DataLossError(why);
}

absl::Status RansDecoder::Renormalize() {
  while (state_ < kLower) {
    if (pos_ >= data_.size()) return Fail("rANS stream ended early");
    state_ = (state_ << 8) | static_cast<uint8_t>(data_[pos_++]);
  }
  return absl::OkStatus();
}

absl::StatusOr<uint32_t> RansDecoder::DecodeSymbol(const uint32_t* cdf,
                                                   size_t size) {
  const uint32_t cum = state_ & kSymbolMask;
  // Last of cdf[0 .. size-2] that is <= cum, searched in [base, base+n).
  // Branch-free halving compiles to conditional moves; a branchy search
  // mispredicts on almost every step. (A four-way search measured slower.)
  const uint32_t* base = cdf;
  size_t n = size - 1;
  while (n > 1) {
    const size_t half = n / 2;
    base = base[half] <= cum ? base + half : base;
    n -= half;
  }
  const uint32_t start = *base;
  const uint32_t end = base[1];
  if (cum < start || cum >= end) return Fail("cdf does not cover the state");
  state_ = (end - start) * (state_ >> kCdfPrecisionBits) + cum - start;
  if (state_ < kLower) {
    if (absl::Status s = Renormalize(); !s.ok()) return s;
  }
  return static_cast<uint32_t>(base - cdf);
}

absl::StatusOr<uint32_t> RansDecoder::DecodeChunk() {
  const uint32_t cum = state_ & kSymbolMask;
  state_ =
      kChunkFreq * (state_ >> kCdfPrecisionBits) + (cum & (kChunkFreq - 1));
  if (absl::Status s = Renormalize(); !s.ok()) return s;
  return cum >> kChunkShift;
}

absl::StatusOr<int32_t> RansDecoder::Decode(const IntegerCdf& cdf) {
  if (failed_) return absl::DataLossError("an earlier rANS decode failed");
  if (cdf.cdf.size() < 3) {
    return absl::InvalidArgumentError("cdf needs at least 3 entries");
  }
  const int64_t n = cdf.num_values();
  absl::StatusOr<uint32_t> symbol =
      DecodeSymbol(cdf.cdf.data(), cdf.cdf.size());
  if (!symbol.ok()) return symbol.status();
  int64_t value;
  if (*symbol < n) {
    value = int64_t{cdf.offset} + *symbol;
  } else {
    absl::StatusOr<uint32_t> count = DecodeChunk();
    if (!count.ok()) return count.status();
    const int chunks = static_cast<int>(*count) + 1;
    if (chunks > kMaxChunks) return Fail("escape payload too long");
    uint64_t payload = 0;
    uint32_t chunk = 0;
    for (int i = 0; i < chunks; ++i) {
      absl::StatusOr<uint32_t> next = DecodeChunk();
      if (!next.ok()) return next.status();
      chunk = *next;
      payload |= uint64_t{chunk} << (kChunkBits * i);
    }
    // The encoder never writes a leading zero chunk.
    if (chunks > 1 && chunk == 0) return Fail("escape payload not canonical");
    const int64_t excess = static_cast<int64_t>(payload >> 1);
    value = (payload & 1) ? int64_t{cdf.offset} - 1 - excess
                          : int64_t{cdf.offset} + n + excess;
  }
  if (value < std::numeric_limits<int32_t>::min() ||
      value > std::numeric_limits<int32_t>::max()) {
    return Fail("decoded value outside int32");
  }
  return static_cast<int32_t>(value);
}

absl::Status RansDecoder::Finish() const {
  if (failed_) return absl::DataLossError("an earlier rANS decode failed");
  if (pos_ != data_.size()) {
    return absl::DataLossError(
        absl::StrCat("rANS stream has ", data_.size() - pos_, " unread bytes"));
  }
  if (state_ != kLower) {
    return absl::DataLossError("rANS stream ended in the wrong state");
  }
  return absl::OkStatus();
}

}  // namespace vlmc::entropy
