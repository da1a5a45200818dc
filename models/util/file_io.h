#ifndef VLMC_MODELS_UTIL_FILE_IO_H_
#define VLMC_MODELS_UTIL_FILE_IO_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "models/util/sha256.h"

namespace vlmc::util {

// Reads the whole file. NOT_FOUND if it does not exist, INVALID_ARGUMENT if it
// is a directory or holds more than `max_bytes` bytes (checked before the
// buffer is allocated), other errno-derived codes for I/O failures. Messages
// name the path.
absl::StatusOr<std::string> ReadFile(const std::string& path,
                                     uint64_t max_bytes = 1ull << 32);

// Writes `bytes` to `path` + ".tmp", fsyncs it and renames it over `path`, so
// readers see either the old or the new contents, never a partial file. The
// temporary file is removed on failure.
absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view bytes);

// SHA-256 of the file's contents, streamed in fixed-size chunks (no size cap).
absl::StatusOr<Sha256Digest> Sha256File(const std::string& path);

}  // namespace vlmc::util

#endif  // VLMC_MODELS_UTIL_FILE_IO_H_
