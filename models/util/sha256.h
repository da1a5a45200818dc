#ifndef VLMC_MODELS_UTIL_SHA256_H_
#define VLMC_MODELS_UTIL_SHA256_H_

#include <array>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace vlmc::util {

using Sha256Digest = std::array<uint8_t, 32>;

// Streaming SHA-256 (FIPS 180-4). Feed data with Update(), then call Finish()
// once; after Finish() the hasher is reset and can hash a new message.
class Sha256Hasher {
 public:
  Sha256Hasher();

  void Update(absl::string_view data);
  Sha256Digest Finish();

 private:
  void Reset();
  void Compress(const uint8_t* block);

  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> buffer_;
  size_t buffered_ = 0;       // bytes pending in buffer_
  uint64_t total_bytes_ = 0;  // message length so far
};

// One-shot SHA-256 of `data`.
Sha256Digest Sha256(absl::string_view data);

// Lower-case hexadecimal rendering of `bytes`.
std::string ToHex(absl::Span<const uint8_t> bytes);

}  // namespace vlmc::util

#endif  // VLMC_MODELS_UTIL_SHA256_H_
