#ifndef VLMC_MODELS_ENTROPY_RANS_CODER_H_
#define VLMC_MODELS_ENTROPY_RANS_CODER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "models/entropy/integer_cdf.h"

namespace vlmc::entropy {

// Range-ANS coder with a 32-bit state and byte-wise renormalisation (the
// scheme of ryg_rans' rans_byte.h) at kCdfPrecisionBits precision.
//
// Each value is coded with its own IntegerCdf. A value outside the table's
// range is coded as the escape symbol followed by a bypass-coded payload, so
// every int32 value can be coded with every table, only less efficiently.
//
// Stream layout: 4 bytes of initial decoder state (little endian), then the
// renormalisation bytes in the order the decoder reads them. The decoder ends
// in the encoder's start state, which Finish() checks.

class RansEncoder {
 public:
  // Queues `value`. Only the symbol's frequency range is kept, so `cdf` need
  // not outlive the call. Precondition: ValidateIntegerCdf(cdf).ok().
  void Encode(int32_t value, const IntegerCdf& cdf);

  // Codes everything queued since the last Finish() and returns the bytes;
  // the encoder is empty afterwards. rANS is last-in-first-out, so coding
  // runs backwards here and the decoder reads forwards.
  std::string Finish();

 private:
  // One coded symbol: start | (freq << 16); both fit 16 bits because a
  // table has at least two symbols.
  std::vector<uint32_t> symbols_;
};

class RansDecoder {
 public:
  // DATA_LOSS if `data` is shorter than the initial state or the state is
  // impossible. `data` must outlive the decoder.
  static absl::StatusOr<RansDecoder> Create(absl::string_view data);

  // Decodes the next value, which must have been coded with the same table.
  // DATA_LOSS on reading past the end or an impossible escape payload; after
  // an error every later call fails too. INVALID_ARGUMENT if `cdf` is too
  // short to be a table. Precondition: ValidateIntegerCdf(cdf).ok().
  absl::StatusOr<int32_t> Decode(const IntegerCdf& cdf);

  // OK only if no decode failed, every byte was consumed and the state is
  // back at the encoder's start state: catches truncation, trailing bytes and
  // most corruption.
  absl::Status Finish() const;

 private:
  RansDecoder(absl::string_view data, uint32_t state)
      : data_(data), pos_(4), state_(state) {}

  // Decodes one symbol of a table given by its cdf array.
  absl::StatusOr<uint32_t> DecodeSymbol(const uint32_t* cdf, size_t size);
  // Decodes one uniformly coded 4-bit chunk.
  absl::StatusOr<uint32_t> DecodeChunk();
  absl::Status Renormalize();
  absl::Status Fail(absl::string_view why);

  absl::string_view data_;
  size_t pos_;
  uint32_t state_;
  bool failed_ = false;
};

}  // namespace vlmc::entropy

#endif  // VLMC_MODELS_ENTROPY_RANS_CODER_H_
