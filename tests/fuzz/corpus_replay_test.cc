// Replays every file of one fuzz target's committed corpus (seeds and crash
// reproducers) through its LLVMFuzzerTestOneInput, so the normal and the
// sanitizer builds catch regressions without clang or libFuzzer. Built once
// per target: VLMC_FUZZ_CORPUS_DIR names that target's corpus.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "models/util/file_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

std::vector<std::filesystem::path> CorpusFiles() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(VLMC_FUZZ_CORPUS_DIR)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  return files;
}

TEST(CorpusReplayTest, CorpusIsNotEmpty) {
  EXPECT_GE(CorpusFiles().size(), 3u) << VLMC_FUZZ_CORPUS_DIR;
}

TEST(CorpusReplayTest, EveryCorpusFileRunsCleanly) {
  for (const std::filesystem::path& path : CorpusFiles()) {
    SCOPED_TRACE(path.string());
    absl::StatusOr<std::string> bytes = vlmc::util::ReadFile(path.string());
    ASSERT_TRUE(bytes.ok()) << bytes.status();
    EXPECT_EQ(
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes->data()),
                               bytes->size()),
        0);
  }
}

TEST(CorpusReplayTest, EmptyAndTinyInputsRunCleanly) {
  const uint8_t bytes[] = {0x89, 'P', 'N', 'G', 0xFF, 0xD8, 'V', 'L'};
  for (size_t size = 0; size <= sizeof(bytes); ++size) {
    EXPECT_EQ(LLVMFuzzerTestOneInput(bytes, size), 0) << size;
  }
}

}  // namespace
