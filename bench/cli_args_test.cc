#include "bench/cli_args.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vlmc::bench {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

TEST(CliArgsTest, ParsesBothFlagForms) {
  const char* argv[] = {"prog", "--codec", "jpeg", "--limit=4"};
  auto flags = ParseFlags(4, argv, {"codec", "limit", "csv"});
  ASSERT_TRUE(flags.ok()) << flags.status();
  EXPECT_THAT(*flags, ElementsAre(Pair("codec", "jpeg"), Pair("limit", "4")));
}

TEST(CliArgsTest, RejectsUnknownRepeatedMissingAndPositional) {
  const char* unknown[] = {"prog", "--bogus", "1"};
  EXPECT_THAT(ParseFlags(3, unknown, {"a"}).status().message(),
              HasSubstr("unknown flag --bogus"));
  const char* twice[] = {"prog", "--a=1", "--a", "2"};
  EXPECT_THAT(ParseFlags(4, twice, {"a"}).status().message(),
              HasSubstr("given twice"));
  const char* missing[] = {"prog", "--a"};
  EXPECT_THAT(ParseFlags(2, missing, {"a"}).status().message(),
              HasSubstr("needs a value"));
  const char* positional[] = {"prog", "x"};
  EXPECT_FALSE(ParseFlags(2, positional, {"a"}).ok());
}

TEST(CliArgsTest, ParsesIntLists) {
  auto v = ParseIntList("5, 10,20", "--qualities");
  ASSERT_TRUE(v.ok());
  EXPECT_THAT(*v, ElementsAre(5, 10, 20));
  EXPECT_THAT(ParseIntList("5,x", "--qualities").status().message(),
              HasSubstr("--qualities: 'x'"));
  EXPECT_FALSE(ParseIntList("", "--qualities").ok());
}

}  // namespace
}  // namespace vlmc::bench
