#ifndef VLMC_MODELS_UTIL_CRC32_H_
#define VLMC_MODELS_UTIL_CRC32_H_

#include <cstdint>

#include "absl/strings/string_view.h"

namespace vlmc::util {

// CRC-32 as used by IEEE 802.3, zlib and PNG (reflected polynomial
// 0xEDB88320, init and final xor 0xFFFFFFFF). `crc` is the value returned by
// a previous call, so Crc32(b, Crc32(a)) == Crc32(a + b).
uint32_t Crc32(absl::string_view data, uint32_t crc = 0);

}  // namespace vlmc::util

#endif  // VLMC_MODELS_UTIL_CRC32_H_
