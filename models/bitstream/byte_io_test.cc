#include "models/bitstream/byte_io.h"

#include <string>

#include "gtest/gtest.h"

namespace vlmc::bitstream {
namespace {

TEST(ByteIoTest, LittleEndianRoundTrip) {
  std::string buf;
  ByteWriter w(&buf);
  w.PutU8(0xAB);
  w.PutU16(0x1234);
  w.PutU32(0xDEADBEEF);
  w.PutBytes("xy");
  EXPECT_EQ(buf, std::string("\xAB\x34\x12\xEF\xBE\xAD\xDE"
                             "xy",
                             9));

  ByteReader r(buf);
  uint8_t a;
  uint16_t b;
  uint32_t c;
  absl::string_view d;
  ASSERT_TRUE(r.ReadU8(&a));
  ASSERT_TRUE(r.ReadU16(&b));
  ASSERT_TRUE(r.ReadU32(&c));
  ASSERT_TRUE(r.ReadBytes(2, &d));
  EXPECT_EQ(a, 0xAB);
  EXPECT_EQ(b, 0x1234);
  EXPECT_EQ(c, 0xDEADBEEFu);
  EXPECT_EQ(d, "xy");
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(ByteIoTest, ShortReadsFailWithoutMoving) {
  const std::string buf("\x01\x02\x03", 3);
  ByteReader r(buf);
  uint32_t v32;
  absl::string_view bytes;
  EXPECT_FALSE(r.ReadU32(&v32));
  EXPECT_FALSE(r.ReadBytes(4, &bytes));
  EXPECT_FALSE(r.ReadBytes(~size_t{0}, &bytes));
  EXPECT_EQ(r.offset(), 0u);
  uint16_t v16;
  ASSERT_TRUE(r.ReadU16(&v16));
  EXPECT_EQ(v16, 0x0201);
  EXPECT_FALSE(r.ReadU16(&v16));
  EXPECT_EQ(r.offset(), 2u);
  EXPECT_FALSE(r.Skip(2));
  EXPECT_TRUE(r.Skip(1));
  EXPECT_EQ(r.remaining(), 0u);
}

}  // namespace
}  // namespace vlmc::bitstream
