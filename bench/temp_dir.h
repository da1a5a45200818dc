#ifndef VLMC_BENCH_TEMP_DIR_H_
#define VLMC_BENCH_TEMP_DIR_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vlmc::bench {

// A private (mode 0700) directory made with mkdtemp under $TMPDIR or /tmp,
// removed with its contents when the object dies.
class ScopedTempDir {
 public:
  static absl::StatusOr<ScopedTempDir> Create(absl::string_view prefix);

  ScopedTempDir(ScopedTempDir&& other) noexcept;
  ScopedTempDir& operator=(ScopedTempDir&& other) noexcept;
  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;
  ~ScopedTempDir();

  const std::string& path() const { return path_; }
  // `path()` + "/" + `name`.
  std::string File(absl::string_view name) const;

 private:
  explicit ScopedTempDir(std::string path) : path_(std::move(path)) {}
  void Remove();

  std::string path_;  // Empty once moved from.
};

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_TEMP_DIR_H_
