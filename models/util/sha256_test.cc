#include "models/util/sha256.h"

#include <string>

#include "gtest/gtest.h"

namespace vlmc::util {
namespace {

std::string HexOf(absl::string_view data) { return ToHex(Sha256(data)); }

// NIST FIPS 180-4 example vectors.
TEST(Sha256Test, NistVectors) {
  EXPECT_EQ(HexOf(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HexOf("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexOf("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(HexOf(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Test, StreamingMatchesOneShotAtEverySplit) {
  std::string data;
  for (int i = 0; i < 200; ++i) data.push_back(static_cast<char>(i * 7 + 3));
  const Sha256Digest expected = Sha256(data);
  const absl::string_view v(data);
  for (size_t split = 0; split <= data.size(); ++split) {
    Sha256Hasher hasher;
    hasher.Update(v.substr(0, split));
    hasher.Update(v.substr(split));
    EXPECT_EQ(hasher.Finish(), expected) << "split " << split;
  }
}

TEST(Sha256Test, ByteAtATimeAndPaddingBoundaries) {
  // Lengths around the 55/56/64-byte padding edges.
  for (size_t len : {55u, 56u, 57u, 63u, 64u, 65u, 119u, 120u, 128u}) {
    const std::string data(len, 'x');
    Sha256Hasher hasher;
    for (char c : data) hasher.Update(absl::string_view(&c, 1));
    EXPECT_EQ(hasher.Finish(), Sha256(data)) << "len " << len;
  }
}

TEST(Sha256Test, FinishResetsHasher) {
  Sha256Hasher hasher;
  hasher.Update("garbage");
  hasher.Finish();
  hasher.Update("abc");
  EXPECT_EQ(hasher.Finish(), Sha256("abc"));
}

TEST(Sha256Test, ToHex) {
  const uint8_t bytes[] = {0x00, 0x0f, 0xa5, 0xff};
  EXPECT_EQ(ToHex(bytes), "000fa5ff");
  EXPECT_EQ(ToHex({}), "");
}

}  // namespace
}  // namespace vlmc::util
