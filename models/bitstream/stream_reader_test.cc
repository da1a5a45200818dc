// ParseStream against valid, truncated, corrupted and hostile inputs.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "models/bitstream/byte_io.h"
#include "models/bitstream/stream_format.h"
#include "models/util/crc32.h"

namespace vlmc::bitstream {
namespace {

using ::absl::StatusCode;

StreamHeader GoodHeader() {
  StreamHeader h;
  h.model_id = "vlmc-base";
  h.model_version = 7;
  h.weights_hash = {0xde, 0xad, 0xbe, 0xef, 0x00, 0x11, 0x22, 0x33};
  h.width = 1920;
  h.height = 1080;
  h.quality_code = QualityToCode(0.75);
  return h;
}

std::string Binary(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

// Every field of the layout, settable to values WriteStream would refuse.
struct RawStream {
  std::string magic = "VLMC";
  uint8_t version = kFormatVersion;
  uint8_t flags = 0;
  std::string model_id = "vlmc-base";
  int model_id_length = -1;  // -1: use model_id.size()
  uint16_t model_version = 1;
  std::string weights_hash = std::string(8, '\x5a');
  uint32_t width = 64, height = 48;
  uint16_t quality_code = 100;
  uint16_t reserved = 0;
  std::string z = "zzz", y = "yyyyy";
  int64_t z_length = -1, y_length = -1;  // -1: use the real size

  // Serialises with a correct CRC, so the check under test is the one that
  // fires rather than the CRC.
  std::string Build() const {
    std::string out;
    ByteWriter w(&out);
    w.PutBytes(magic);
    w.PutU8(version);
    w.PutU8(flags);
    w.PutU8(static_cast<uint8_t>(model_id_length < 0 ? model_id.size()
                                                     : model_id_length));
    w.PutBytes(model_id);
    w.PutU16(model_version);
    w.PutBytes(weights_hash);
    w.PutU32(width);
    w.PutU32(height);
    w.PutU16(quality_code);
    w.PutU16(reserved);
    w.PutU32(static_cast<uint32_t>(z_length < 0 ? z.size() : z_length));
    w.PutU32(static_cast<uint32_t>(y_length < 0 ? y.size() : y_length));
    w.PutBytes(z);
    w.PutBytes(y);
    w.PutU32(util::Crc32(out));
    return out;
  }
};

Limits NoLimits() {
  Limits l;
  l.max_width = l.max_height = l.max_segment_bytes = 0xFFFFFFFFu;
  l.max_pixels = ~uint64_t{0};
  return l;
}

void ExpectError(absl::string_view data, StatusCode code,
                 absl::string_view message_part, const Limits& limits = {}) {
  const absl::StatusOr<ParsedStream> parsed = ParseStream(data, limits);
  ASSERT_FALSE(parsed.ok()) << "expected " << message_part;
  EXPECT_EQ(parsed.status().code(), code) << parsed.status();
  EXPECT_NE(parsed.status().message().find(message_part),
            absl::string_view::npos)
      << parsed.status();
  EXPECT_EQ(parsed.status().message().find('\n'), absl::string_view::npos);
}

TEST(ParseStreamTest, RoundTrip) {
  const std::string z = Binary(1000, 1), y = Binary(54321, 2);
  const absl::StatusOr<std::string> data = WriteStream(GoodHeader(), z, y);
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_EQ(data->size(), kFixedOverheadBytes + GoodHeader().model_id.size() +
                              z.size() + y.size());
  const absl::StatusOr<ParsedStream> parsed = ParseStream(*data);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->header, GoodHeader());
  EXPECT_EQ(parsed->z_segment, z);
  EXPECT_EQ(parsed->y_segment, y);
  // Segments are views into the input, not copies.
  EXPECT_GE(parsed->z_segment.data(), data->data());
  EXPECT_LE(parsed->y_segment.data() + parsed->y_segment.size(),
            data->data() + data->size());
}

TEST(ParseStreamTest, RoundTripExtremes) {
  StreamHeader h;
  h.model_id = "a";
  h.width = h.height = 1;
  for (const StreamHeader& header : {h, [] {
                                       StreamHeader m;
                                       m.model_id =
                                           std::string(kMaxModelIdLength, '.');
                                       m.model_version = 0xFFFF;
                                       m.weights_hash.fill(0xFF);
                                       m.width = 16384;
                                       m.height = 8192;
                                       m.quality_code = 0xFFFF;
                                       return m;
                                     }()}) {
    for (const auto& [z, y] : {std::pair<std::string, std::string>{"", ""},
                               {"", "y"},
                               {std::string(3, '\0'), ""}}) {
      const absl::StatusOr<std::string> data = WriteStream(header, z, y);
      ASSERT_TRUE(data.ok()) << data.status();
      const absl::StatusOr<ParsedStream> parsed = ParseStream(*data);
      ASSERT_TRUE(parsed.ok()) << parsed.status();
      EXPECT_EQ(parsed->header, header);
      EXPECT_EQ(parsed->z_segment, z);
      EXPECT_EQ(parsed->y_segment, y);
    }
  }
}

// Pins the byte layout documented in FORMAT.md.
TEST(ParseStreamTest, GoldenBytes) {
  StreamHeader h;
  h.model_id = "m1";
  h.model_version = 0x0102;
  h.weights_hash = {1, 2, 3, 4, 5, 6, 7, 8};
  h.width = 640;
  h.height = 480;
  h.quality_code = 0x8000;
  const std::string golden(
      "VLMC"
      "\x02"  // format version
      "\x00"  // flags
      "\x02"
      "m1"                                // model id
      "\x02\x01"                          // model version
      "\x01\x02\x03\x04\x05\x06\x07\x08"  // weights hash
      "\x80\x02\x00\x00"                  // width
      "\xE0\x01\x00\x00"                  // height
      "\x00\x80"                          // quality code
      "\x00\x00"                          // reserved
      "\x02\x00\x00\x00"                  // z length
      "\x03\x00\x00\x00"                  // y length
      "ab"
      "xyz"
      "\xBB\xCA\xFD\xE0",  // CRC-32
      48);
  const absl::StatusOr<std::string> data = WriteStream(h, "ab", "xyz");
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(*data, golden);
  const absl::StatusOr<ParsedStream> parsed = ParseStream(golden);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->header, h);
}

TEST(ParseStreamTest, EveryTruncationFailsCleanly) {
  const std::string data = *WriteStream(GoodHeader(), "zz", "yyy");
  for (size_t n = 0; n < data.size(); ++n) {
    const absl::StatusOr<ParsedStream> parsed =
        ParseStream(absl::string_view(data).substr(0, n));
    ASSERT_FALSE(parsed.ok()) << "prefix " << n;
    EXPECT_EQ(parsed.status().code(), n < kMagic.size()
                                          ? StatusCode::kInvalidArgument
                                          : StatusCode::kDataLoss)
        << "prefix " << n << ": " << parsed.status();
  }
}

TEST(ParseStreamTest, EverySingleBitFlipIsDetected) {
  const std::string data = *WriteStream(GoodHeader(), "zz", "yyy");
  for (size_t bit = 0; bit < data.size() * 8; ++bit) {
    std::string corrupt = data;
    corrupt[bit / 8] = static_cast<char>(corrupt[bit / 8] ^ (1 << (bit % 8)));
    EXPECT_FALSE(ParseStream(corrupt).ok()) << "bit " << bit;
    EXPECT_FALSE(ParseStream(corrupt, NoLimits()).ok()) << "bit " << bit;
  }
}

TEST(ParseStreamTest, RandomMutationsNeverCrash) {
  // Mutations with the CRC recomputed reach the field checks behind it.
  const std::string data = *WriteStream(GoodHeader(), "zz", "yyy");
  std::mt19937 rng(1234);
  for (int iter = 0; iter < 20000; ++iter) {
    std::string m = data;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      m[rng() % m.size()] = static_cast<char>(rng());
    }
    if (rng() % 2) m.resize(rng() % (m.size() + 1));
    if (m.size() >= 4 && rng() % 2) {
      const uint32_t crc =
          util::Crc32(absl::string_view(m).substr(0, m.size() - 4));
      for (int i = 0; i < 4; ++i)
        m[m.size() - 4 + i] = static_cast<char>(crc >> (8 * i));
    }
    const absl::StatusOr<ParsedStream> parsed = ParseStream(m);
    if (parsed.ok()) {
      EXPECT_TRUE(ValidateHeader(parsed->header, Limits{}).ok());
      const absl::StatusOr<std::string> rewritten =
          WriteStream(parsed->header, parsed->z_segment, parsed->y_segment);
      ASSERT_TRUE(rewritten.ok());
      EXPECT_EQ(*rewritten, m);
    }
  }
}

TEST(ParseStreamTest, BadMagic) {
  for (absl::string_view bad :
       {absl::string_view(""), absl::string_view("V"), absl::string_view("VLM"),
        absl::string_view("vlmc\x01"), absl::string_view("VLMD\x01"),
        absl::string_view("\x89PNG\r\n\x1a\n")}) {
    ExpectError(bad, StatusCode::kInvalidArgument, "not a vlmc stream");
  }
  RawStream raw;
  raw.magic = "XLMC";
  ExpectError(raw.Build(), StatusCode::kInvalidArgument, "not a vlmc stream");
}

TEST(ParseStreamTest, UnknownVersionIsFailedPrecondition) {
  for (int version : {0, 5, 255}) {
    RawStream raw;
    raw.version = static_cast<uint8_t>(version);
    ExpectError(raw.Build(), StatusCode::kFailedPrecondition, "format version");
  }
  // Even without the rest of the stream: a newer layout is not parsed.
  ExpectError(absl::string_view("VLMC\x05", 5), StatusCode::kFailedPrecondition,
              "format version");
}

// Version 1 streams stay readable (and writable, for tests and tools); the
// header reports which version a stream has.
TEST(ParseStreamTest, EveryKnownVersionRoundTrips) {
  for (int version = kOldestFormatVersion; version <= kNewestFormatVersion;
       ++version) {
    StreamHeader h = GoodHeader();
    h.format_version = static_cast<uint8_t>(version);
    // From format 4 the y segment starts with its substream count.
    const std::string y =
        version >= kSubstreamFormatVersion ? std::string("\x01yyy") : "yyy";
    const absl::StatusOr<std::string> data = WriteStream(h, "zz", y);
    ASSERT_TRUE(data.ok()) << data.status();
    EXPECT_EQ(static_cast<uint8_t>((*data)[4]), version);
    const absl::StatusOr<ParsedStream> parsed = ParseStream(*data);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(parsed->header, h);
    EXPECT_EQ(parsed->y_substreams, std::vector<absl::string_view>{"yyy"});
  }
  for (int version : {0, 5}) {
    StreamHeader h = GoodHeader();
    h.format_version = static_cast<uint8_t>(version);
    EXPECT_EQ(WriteStream(h, "zz", "yyy").status().code(),
              StatusCode::kInvalidArgument)
        << version;
  }
}

// Format 3 keeps the coded resolution in flags bits 0-1.
TEST(ParseStreamTest, DownscaleRoundTripsInFormat3) {
  for (uint8_t k = 0; k <= kMaxDownscaleLog2; ++k) {
    StreamHeader h = GoodHeader();
    h.format_version = kDownscaleFormatVersion;
    h.downscale_log2 = k;
    const absl::StatusOr<std::string> data = WriteStream(h, "zz", "yyy");
    ASSERT_TRUE(data.ok()) << data.status();
    EXPECT_EQ(static_cast<uint8_t>((*data)[5]), k);
    const absl::StatusOr<ParsedStream> parsed = ParseStream(*data);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(parsed->header, h);
  }
}

TEST(ParseStreamTest, DownscaleNeedsFormat3AndAKnownFactor) {
  StreamHeader h = GoodHeader();
  h.downscale_log2 = 1;
  for (uint8_t version : {1, 2}) {
    h.format_version = version;
    const absl::Status s = WriteStream(h, "zz", "yyy").status();
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s;
    EXPECT_NE(s.message().find("coded resolution"), absl::string_view::npos);
  }
  h.format_version = kDownscaleFormatVersion;
  h.downscale_log2 = kMaxDownscaleLog2 + 1;
  EXPECT_EQ(WriteStream(h, "zz", "yyy").status().code(),
            StatusCode::kInvalidArgument);
  // On the wire: factor 8 (flags 3) is reserved, as are bits 2-7.
  RawStream raw;
  raw.version = kDownscaleFormatVersion;
  raw.flags = 3;
  ExpectError(raw.Build(), StatusCode::kDataLoss, "downscale");
  for (int bit = 2; bit < 8; ++bit) {
    raw.flags = static_cast<uint8_t>(1 << bit);
    ExpectError(raw.Build(), StatusCode::kDataLoss, "flags");
  }
}

// Format 4: the y segment is a substream table; ParseStream splits it and
// reports a broken table as corruption, WriteStream refuses to write one.
TEST(ParseStreamTest, Format4SplitsTheYSegment) {
  StreamHeader h = GoodHeader();
  h.format_version = kSubstreamFormatVersion;
  h.downscale_log2 = 1;  // format 4 keeps format 3's flags
  const std::string y(
      "\x02\x03\x00\x00\x00"
      "abcde",
      10);
  const absl::StatusOr<std::string> data = WriteStream(h, "zz", y);
  ASSERT_TRUE(data.ok()) << data.status();
  const absl::StatusOr<ParsedStream> parsed = ParseStream(*data);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->header, h);
  EXPECT_EQ(parsed->y_segment, y);
  EXPECT_EQ(parsed->y_substreams,
            (std::vector<absl::string_view>{"abc", "de"}));

  RawStream raw;
  raw.version = kSubstreamFormatVersion;
  raw.y = std::string(
      "\x02\x09\x00\x00\x00"
      "abcde",
      10);
  ExpectError(raw.Build(), StatusCode::kDataLoss, "y substream 0 length 9");
  raw.y = "";
  ExpectError(raw.Build(), StatusCode::kDataLoss, "y segment is empty");
  h.format_version = kSubstreamFormatVersion;
  EXPECT_EQ(WriteStream(h, "zz", "").status().code(),
            StatusCode::kInvalidArgument);
  // Before format 4 the same bytes are one opaque segment.
  raw.version = kFormatVersion;
  raw.y = y;
  const std::string v2_bytes = raw.Build();  // the parse's views point here
  const absl::StatusOr<ParsedStream> v2 = ParseStream(v2_bytes);
  ASSERT_TRUE(v2.ok()) << v2.status();
  EXPECT_EQ(v2->y_substreams, std::vector<absl::string_view>{y});
}

TEST(CodedExtentTest, RoundsUp) {
  EXPECT_EQ(CodedExtent(768, 0), 768u);
  EXPECT_EQ(CodedExtent(768, 1), 384u);
  EXPECT_EQ(CodedExtent(767, 1), 384u);
  EXPECT_EQ(CodedExtent(1, 2), 1u);
  EXPECT_EQ(CodedExtent(1081, 2), 271u);
  EXPECT_EQ(CodedExtent(0xFFFFFFFFu, 1), 0x80000000u);
}

TEST(ParseStreamTest, NonZeroFlagsOrReservedIsDataLoss) {
  for (int bit = 0; bit < 8; ++bit) {
    RawStream raw;
    raw.flags = static_cast<uint8_t>(1 << bit);
    ExpectError(raw.Build(), StatusCode::kDataLoss, "flags");
  }
  for (int bit = 0; bit < 16; ++bit) {
    RawStream raw;
    raw.reserved = static_cast<uint16_t>(1 << bit);
    ExpectError(raw.Build(), StatusCode::kDataLoss, "reserved");
  }
}

TEST(ParseStreamTest, BadModelIdIsDataLoss) {
  for (const std::string& id :
       {std::string(), std::string("Vlmc"), std::string("a b"),
        std::string("a\0b", 3), std::string("\xFF"),
        std::string(kMaxModelIdLength + 1, 'a'), std::string(255, 'a')}) {
    RawStream raw;
    raw.model_id = id;
    ExpectError(raw.Build(), StatusCode::kDataLoss, "model id");
  }
}

TEST(ParseStreamTest, ModelIdLengthBeyondBufferIsDataLoss) {
  RawStream raw;
  raw.model_id = "ab";
  raw.model_id_length = 255;
  ExpectError(raw.Build(), StatusCode::kDataLoss, "");
}

TEST(ParseStreamTest, ZeroDimensionsAreDataLoss) {
  RawStream raw;
  raw.width = 0;
  ExpectError(raw.Build(), StatusCode::kDataLoss, "image size");
  raw = RawStream();
  raw.height = 0;
  ExpectError(raw.Build(), StatusCode::kDataLoss, "image size");
}

TEST(ParseStreamTest, HugeDimensionsAreInvalidArgumentNamingTheLimit) {
  RawStream raw;
  raw.width = 0xFFFFFFFFu;
  ExpectError(raw.Build(), StatusCode::kInvalidArgument, "max_width");
  raw = RawStream();
  raw.height = 16385;
  ExpectError(raw.Build(), StatusCode::kInvalidArgument, "max_height");
  raw = RawStream();
  raw.width = raw.height = 16384;  // 2^28 pixels > 2^27
  ExpectError(raw.Build(), StatusCode::kInvalidArgument, "max_pixels");
  // The same stream is fine for a decoder that allows it.
  EXPECT_TRUE(ParseStream(raw.Build(), NoLimits()).ok());
}

TEST(ParseStreamTest, HugeSegmentLengths) {
  RawStream raw;
  raw.z_length = 0xFFFFFFFFu;
  ExpectError(raw.Build(), StatusCode::kInvalidArgument,
              "z segment length 4294967295 exceeds limit max_segment_bytes");
  raw = RawStream();
  raw.y_length = (1u << 28) + 1;
  ExpectError(raw.Build(), StatusCode::kInvalidArgument,
              "y segment length 268435457 exceeds limit max_segment_bytes");
  // Within the limits but beyond the buffer: inconsistent, so DATA_LOSS.
  raw = RawStream();
  raw.z_length = 0xFFFFFFFFu;
  ExpectError(raw.Build(), StatusCode::kDataLoss,
              "z segment length 4294967295 exceeds remaining", NoLimits());
  raw = RawStream();
  raw.y_length = 6;
  ExpectError(raw.Build(), StatusCode::kDataLoss,
              "y segment length 6 exceeds remaining 5 bytes");
  Limits small;
  small.max_segment_bytes = 4;
  ExpectError(RawStream().Build(), StatusCode::kInvalidArgument,
              "y segment length 5 exceeds limit max_segment_bytes=4", small);
}

TEST(ParseStreamTest, LengthsWhoseSumOverflowsAreDataLoss) {
  // z + y wraps to the real payload size in 32 bits (8 = 3 + 5 real bytes).
  RawStream raw;
  raw.z_length = 0x80000003u;
  raw.y_length = 0x80000005u;
  ExpectError(raw.Build(), StatusCode::kDataLoss, "exceeds remaining",
              NoLimits());
  raw = RawStream();
  raw.z_length = 0xFFFFFFFFu;
  raw.y_length = 9;  // 0xFFFFFFFF + 9 == 8 mod 2^32
  ExpectError(raw.Build(), StatusCode::kDataLoss, "exceeds remaining",
              NoLimits());
  raw = RawStream();
  raw.z_length = 0;
  raw.y_length = 0xFFFFFFFFu;
  ExpectError(raw.Build(), StatusCode::kDataLoss, "exceeds remaining",
              NoLimits());
}

TEST(ParseStreamTest, ShorterLengthsLeaveTrailingBytes) {
  RawStream raw;
  raw.y_length = 1;  // CRC is then read from the middle of y
  ExpectError(raw.Build(), StatusCode::kDataLoss, "trailing");
}

TEST(ParseStreamTest, TrailingBytesAreDataLoss) {
  const std::string data = *WriteStream(GoodHeader(), "zz", "yyy");
  ExpectError(data + std::string(1, '\0'), StatusCode::kDataLoss,
              "1 trailing bytes");
  ExpectError(data + data, StatusCode::kDataLoss, "trailing");
}

TEST(ParseStreamTest, CrcMismatchIsDataLoss) {
  std::string data = *WriteStream(GoodHeader(), "zz", "yyy");
  data[data.size() - 6] ^= 0x40;  // inside the y segment
  ExpectError(data, StatusCode::kDataLoss, "CRC-32 mismatch");
}

TEST(ParseStreamTest, TruncationMessagesNameTheField) {
  const std::string data = RawStream().Build();
  // magic(4) version(1) flags(1) id length(1) id(9) model version(2)
  ExpectError(absl::string_view(data).substr(0, 5), StatusCode::kDataLoss,
              "flags");
  ExpectError(absl::string_view(data).substr(0, 10), StatusCode::kDataLoss,
              "model id at offset 7");
  ExpectError(absl::string_view(data).substr(0, 17), StatusCode::kDataLoss,
              "model version");
  // The CRC-32's 4 bytes are not counted as room for the segments.
  ExpectError(absl::string_view(data).substr(0, data.size() - 1),
              StatusCode::kDataLoss, "y segment length 5 exceeds remaining 4");
  RawStream empty;
  empty.z = empty.y = "";
  const std::string no_segments = empty.Build();
  ExpectError(absl::string_view(no_segments).substr(0, no_segments.size() - 1),
              StatusCode::kDataLoss, "CRC-32 needs 4 bytes, 3 left");
}

}  // namespace
}  // namespace vlmc::bitstream
