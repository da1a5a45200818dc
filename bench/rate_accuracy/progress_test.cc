#include "bench/rate_accuracy/progress.h"

#include "gtest/gtest.h"

namespace vlmc::bench {
namespace {

TEST(ProgressTest, FormatsDurations) {
  EXPECT_EQ(FormatDuration(0), "0s");
  EXPECT_EQ(FormatDuration(44.6), "45s");
  EXPECT_EQ(FormatDuration(187), "3m07s");
  EXPECT_EQ(FormatDuration(3720), "1h02m");
  EXPECT_EQ(FormatDuration(-3), "0s");
}

TEST(ProgressTest, EtaExtrapolatesTheMeanTaskTime) {
  EXPECT_EQ(ProgressLine("jpeg 10 image 2/4 a.jpg", 2, 6, 10.0),
            "jpeg 10 image 2/4 a.jpg [2/6, elapsed 10s, ETA 20s]");
  EXPECT_EQ(ProgressLine("x", 6, 6, 90.0), "x [6/6, elapsed 1m30s, ETA 0s]");
  EXPECT_EQ(ProgressLine("x", 0, 6, 1.0), "x [0/6, elapsed 1s, ETA ?]");
}

}  // namespace
}  // namespace vlmc::bench
