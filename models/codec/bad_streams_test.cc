// Every damaged stream in tests/data/bad_streams/ (truncated, bit-flipped,
// hostile sizes, other models) decodes with the shipped default model to the
// status code its EXPECTED manifest records, never to a crash. The corpus and
// the manifest are written by tests/data/bad_streams/make_bad_streams.py.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "absl/status/status.h"
#include "models/codec/codec.h"

namespace vlmc::codec {
namespace {

const std::string kCorpusDir =
    std::string(VLMC_SOURCE_DIR) + "/tests/data/bad_streams";

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// File name -> expected status code name (e.g. "DATA_LOSS"), from lines
// "<file> <CODE> <reason...>"; '#' starts a comment line.
std::map<std::string, std::string> ReadManifest() {
  std::map<std::string, std::string> expected;
  std::istringstream lines(ReadAll(kCorpusDir + "/EXPECTED"));
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string file, code;
    fields >> file >> code;
    EXPECT_FALSE(code.empty()) << "malformed EXPECTED line: " << line;
    EXPECT_TRUE(expected.emplace(file, code).second)
        << "listed twice: " << file;
  }
  return expected;
}

TEST(BadStreamsTest, ManifestListsExactlyTheStreamsInTheFolder) {
  const std::map<std::string, std::string> expected = ReadManifest();
  EXPECT_GE(expected.size(), 10u);
  std::set<std::string> on_disk;
  for (const auto& entry : std::filesystem::directory_iterator(kCorpusDir)) {
    if (entry.path().extension() == ".vlmc")
      on_disk.insert(entry.path().filename().string());
  }
  for (const std::string& file : on_disk) {
    EXPECT_EQ(expected.count(file), 1u) << file << " is not listed in EXPECTED";
  }
  for (const auto& [file, code] : expected) {
    EXPECT_EQ(on_disk.count(file), 1u) << file << " is listed but missing";
  }
}

TEST(BadStreamsTest, EachStreamDecodesToItsExpectedStatus) {
  absl::StatusOr<std::unique_ptr<Codec>> codec =
      Codec::Load(VLMC_REFERENCE_MODEL_PATH);
  ASSERT_TRUE(codec.ok()) << codec.status();
  const std::map<std::string, std::string> expected = ReadManifest();
  ASSERT_FALSE(expected.empty());
  for (const auto& [file, code] : expected) {
    const std::filesystem::path path = kCorpusDir + "/" + file;
    if (!std::filesystem::exists(path)) continue;  // reported by the test above
    absl::StatusOr<image::Image> decoded = (*codec)->Decompress(ReadAll(path));
    EXPECT_EQ(absl::StatusCodeToString(decoded.status().code()), code)
        << file << ": " << decoded.status();
  }
}

}  // namespace
}  // namespace vlmc::codec
