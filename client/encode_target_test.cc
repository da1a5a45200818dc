#include "client/encode_target.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vlmc::cli {
namespace {

absl::StatusOr<EncodeTarget> Parse(const std::vector<std::string>& args) {
  absl::StatusOr<Flags> flags = Flags::Parse(args, EncodeTargetFlags());
  if (!flags.ok()) return flags.status();
  return ParseEncodeTarget(*flags);
}

TEST(EncodeTargetTest, NoTargetMeansQualityOneHalf) {
  absl::StatusOr<EncodeTarget> target = Parse({});
  ASSERT_TRUE(target.ok()) << target.status();
  EXPECT_EQ(target->kind, EncodeTarget::Kind::kQuality);
  EXPECT_EQ(target->value, 0.5);
  EXPECT_EQ(DescribeTarget(*target), "");
}

TEST(EncodeTargetTest, EachTargetParses) {
  absl::StatusOr<EncodeTarget> bpp = Parse({"--bpp", "0.1"});
  ASSERT_TRUE(bpp.ok()) << bpp.status();
  EXPECT_EQ(bpp->kind, EncodeTarget::Kind::kTargetBpp);
  EXPECT_EQ(DescribeTarget(*bpp), "bpp <= 0.1");
  absl::StatusOr<EncodeTarget> bytes = Parse({"--max-bytes=5000"});
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(bytes->kind, EncodeTarget::Kind::kMaxBytes);
  EXPECT_EQ(DescribeTarget(*bytes), "bytes <= 5000");
  absl::StatusOr<EncodeTarget> task =
      Parse({"--task", "tokens", "--fidelity", "0.95", "--max-passes", "4"});
  ASSERT_TRUE(task.ok()) << task.status();
  EXPECT_EQ(task->kind, EncodeTarget::Kind::kTask);
  EXPECT_FALSE(task->detection);
  EXPECT_EQ(task->max_passes, 4);
  EXPECT_EQ(DescribeTarget(*task), "token cosine >= 0.95");
  absl::StatusOr<EncodeTarget> detect = Parse({"--task", "detect"});
  ASSERT_TRUE(detect.ok()) << detect.status();
  EXPECT_TRUE(detect->detection);
  EXPECT_EQ(detect->value, 0.9);
  EXPECT_EQ(DescribeTarget(*detect), "detection agreement >= 0.9");
}

TEST(EncodeTargetTest, RejectsConflictsAndValuesOutOfRange) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{
           {"-q", "0.5", "--bpp", "0.1"},
           {"--bpp", "0.1", "--max-bytes", "10"},
           {"--task", "detect", "-q", "1"},
           {"--bpp", "0"},
           {"--bpp", "-1"},
           {"--bpp", "nan"},
           {"--bpp", "inf"},
           {"--max-bytes", "0"},
           {"--max-bytes", "1.5"},
           {"--task", "segment"},
           {"--task", "detect", "--fidelity", "0"},
           {"--task", "detect", "--fidelity", "1.01"},
           {"--task", "detect", "--max-passes", "1"},
           {"--fidelity", "0.8"},
           {"--bpp", "0.1", "--max-passes", "4"},
           {"-q", "1.5"}}) {
    EXPECT_FALSE(Parse(args).ok()) << args[0] << " " << args[1];
  }
}

TEST(EncodeTargetTest, UnmetTargetIsOneLineSayingWhatWasReached) {
  EncodeTarget target;
  target.kind = EncodeTarget::Kind::kMaxBytes;
  target.value = 10;
  EncodeOutcome outcome;
  outcome.stream = std::string(400, 'x');
  outcome.width = 64;
  outcome.height = 50;
  outcome.downscale = 4;
  outcome.passes = 3;
  outcome.target_met = false;
  absl::Status status = CheckTargetMet(target, outcome);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(),
            "target bytes <= 10 not met: the smallest stream is 400 bytes, "
            "1.0000 bpp (quality 0.000 at 1/4 resolution) after 3 passes; "
            "nothing written");
  outcome.target_met = true;
  EXPECT_TRUE(CheckTargetMet(target, outcome).ok());
}

}  // namespace
}  // namespace vlmc::cli
