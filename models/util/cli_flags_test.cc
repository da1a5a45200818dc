#include "models/util/cli_flags.h"

#include <gtest/gtest.h>

namespace vlmc::cli {
namespace {

const std::vector<Flags::Spec> kSpecs = {{"o", "", "output"},
                                         {"q", "0.5", "quality"},
                                         {"verbose", "", "talk", true}};

TEST(FlagsTest, ParsesValuesBooleansAndPositionals) {
  absl::StatusOr<Flags> flags = Flags::Parse(
      {"in.png", "-o", "out.vlmc", "--q=0.25", "--verbose"}, kSpecs);
  ASSERT_TRUE(flags.ok()) << flags.status();
  EXPECT_EQ(flags->Get("o"), "out.vlmc");
  EXPECT_DOUBLE_EQ(*flags->GetDouble("q"), 0.25);
  EXPECT_TRUE(flags->GetBool("verbose"));
  EXPECT_EQ(flags->positional(), std::vector<std::string>{"in.png"});
}

TEST(FlagsTest, DefaultsApplyWhenAbsent) {
  absl::StatusOr<Flags> flags = Flags::Parse({}, kSpecs);
  ASSERT_TRUE(flags.ok());
  EXPECT_EQ(flags->Get("q"), "0.5");
  EXPECT_FALSE(flags->GetBool("verbose"));
}

TEST(FlagsTest, RejectsUnknownFlagsMissingValuesAndBadNumbers) {
  EXPECT_EQ(Flags::Parse({"--qualty", "1"}, kSpecs).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Flags::Parse({"-o"}, kSpecs).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(Flags::Parse({"--verbose=maybe"}, kSpecs).ok());
  absl::StatusOr<Flags> flags = Flags::Parse({"-q", "high"}, kSpecs);
  ASSERT_TRUE(flags.ok());
  EXPECT_FALSE(flags->GetDouble("q").ok());
  EXPECT_FALSE(flags->GetInt("q").ok());
}

}  // namespace
}  // namespace vlmc::cli
