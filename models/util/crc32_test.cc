#include "models/util/crc32.h"

#include <string>

#include "gtest/gtest.h"

namespace vlmc::util {
namespace {

TEST(Crc32Test, KnownVectors) {
  EXPECT_EQ(Crc32(""), 0x00000000u);
  EXPECT_EQ(Crc32("123456789"), 0xCBF43926u);
  EXPECT_EQ(Crc32("a"), 0xE8B7BE43u);
  EXPECT_EQ(Crc32("The quick brown fox jumps over the lazy dog"), 0x414FA339u);
  EXPECT_EQ(Crc32(std::string(32, '\0')), 0x190A55ADu);
}

TEST(Crc32Test, ChainingEqualsOneShot) {
  const std::string data = "The quick brown fox jumps over the lazy dog";
  for (size_t split = 0; split <= data.size(); ++split) {
    const absl::string_view v(data);
    EXPECT_EQ(Crc32(v.substr(split), Crc32(v.substr(0, split))), Crc32(data))
        << "split " << split;
  }
}

}  // namespace
}  // namespace vlmc::util
