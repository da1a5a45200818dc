#include "bench/temp_dir.h"

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace vlmc::bench {

absl::StatusOr<ScopedTempDir> ScopedTempDir::Create(absl::string_view prefix) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = absl::StrCat((tmp != nullptr && *tmp) ? tmp : "/tmp",
                                     "/", prefix, "XXXXXX");
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data()) == nullptr) {
    const int err = errno;
    return absl::ErrnoToStatus(
        err, absl::StrCat("mkdtemp ", pattern, ": ", std::strerror(err)));
  }
  return ScopedTempDir(std::string(buf.data()));
}

ScopedTempDir::ScopedTempDir(ScopedTempDir&& other) noexcept
    : path_(std::exchange(other.path_, std::string())) {}

ScopedTempDir& ScopedTempDir::operator=(ScopedTempDir&& other) noexcept {
  if (this != &other) {
    Remove();
    path_ = std::exchange(other.path_, std::string());
  }
  return *this;
}

ScopedTempDir::~ScopedTempDir() { Remove(); }

std::string ScopedTempDir::File(absl::string_view name) const {
  return absl::StrCat(path_, "/", name);
}

void ScopedTempDir::Remove() {
  if (path_.empty()) return;
  std::error_code ignored;  // Best effort: nothing useful to do on failure.
  std::filesystem::remove_all(path_, ignored);
  path_.clear();
}

}  // namespace vlmc::bench
