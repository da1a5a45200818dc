#include "models/bitstream/y_substreams.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace vlmc::bitstream {
namespace {

using ::absl::StatusCode;

// FORMAT.md's example: three substreams "ab", "c", "xyz".
TEST(YSubstreamsTest, GoldenBytes) {
  const absl::StatusOr<std::string> joined =
      JoinYSubstreams({"ab", "c", "xyz"});
  ASSERT_TRUE(joined.ok()) << joined.status();
  EXPECT_EQ(*joined, std::string("\x03\x02\x00\x00\x00\x01\x00\x00\x00"
                                 "abcxyz",
                                 15));
  const absl::StatusOr<std::vector<absl::string_view>> split =
      SplitYSegment(*joined);
  ASSERT_TRUE(split.ok()) << split.status();
  EXPECT_EQ(*split, (std::vector<absl::string_view>{"ab", "c", "xyz"}));
}

TEST(YSubstreamsTest, RoundTripsEveryCount) {
  for (int count : {1, 2, 17, kMaxYSubstreams}) {
    std::vector<std::string> parts;
    for (int i = 0; i < count; ++i)
      parts.push_back(std::string(i % 5, 'a' + i % 26));
    const absl::StatusOr<std::string> joined = JoinYSubstreams(parts);
    ASSERT_TRUE(joined.ok()) << joined.status();
    EXPECT_EQ(
        joined->size(), 1 + 4 * (count - 1) + [&] {
          size_t n = 0;
          for (const std::string& p : parts) n += p.size();
          return n;
        }());
    const absl::StatusOr<std::vector<absl::string_view>> split =
        SplitYSegment(*joined);
    ASSERT_TRUE(split.ok()) << split.status();
    ASSERT_EQ(split->size(), parts.size());
    for (int i = 0; i < count; ++i) EXPECT_EQ((*split)[i], parts[i]) << i;
  }
}

TEST(YSubstreamsTest, BrokenTablesAreDataLoss) {
  const std::pair<std::string, const char*> cases[] = {
      {"", "empty"},
      {std::string("\x00", 1), "count 0"},
      {std::string("\x41", 1), "count 65"},
      {std::string("\x03\x02\x00\x00\x00\x01\x00", 7), "truncated at length 1"},
      {std::string("\x02\x05\x00\x00\x00"
                   "abcd",
                   9),
       "substream 0 length 5 exceeds remaining 4"},
      {std::string("\x02\xff\xff\xff\xff"
                   "ab",
                   7),
       "length 4294967295"},
  };
  for (const auto& [bytes, message] : cases) {
    const absl::StatusOr<std::vector<absl::string_view>> split =
        SplitYSegment(bytes);
    ASSERT_FALSE(split.ok()) << message;
    EXPECT_EQ(split.status().code(), StatusCode::kDataLoss);
    EXPECT_NE(split.status().message().find(message), absl::string_view::npos)
        << split.status();
  }
}

TEST(YSubstreamsTest, JoinRefusesBadCounts) {
  EXPECT_EQ(JoinYSubstreams({}).status().code(), StatusCode::kInvalidArgument);
  const std::vector<std::string> too_many(kMaxYSubstreams + 1, "abcd");
  EXPECT_EQ(JoinYSubstreams(too_many).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(YSubstreamsTest, FirstChannelsSplitEvenly) {
  EXPECT_EQ(SubstreamFirstChannel(0, 5, 96), 0);
  EXPECT_EQ(SubstreamFirstChannel(1, 5, 96), 19);
  EXPECT_EQ(SubstreamFirstChannel(4, 5, 96), 76);
  EXPECT_EQ(SubstreamFirstChannel(5, 5, 96), 96);
  EXPECT_EQ(SubstreamFirstChannel(3, 96, 96), 3);
}

}  // namespace
}  // namespace vlmc::bitstream
