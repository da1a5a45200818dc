#include "bench/load/latency_stats.h"

#include "gtest/gtest.h"

namespace vlmc::bench {
namespace {

TEST(PercentileMsTest, NearestRankOnUnsortedSamples) {
  std::vector<double> samples;
  for (int i = 100; i >= 1; --i) samples.push_back(i);
  EXPECT_EQ(PercentileMs(samples, 50), 50);
  EXPECT_EQ(PercentileMs(samples, 99), 99);
  EXPECT_EQ(PercentileMs(samples, 100), 100);
  EXPECT_EQ(PercentileMs(samples, 0), 1);
  EXPECT_EQ(PercentileMs({7.0}, 99), 7.0);
  EXPECT_EQ(PercentileMs({}, 50), 0.0);
  // Three samples: p50 is the second, p99 the third.
  EXPECT_EQ(PercentileMs({30, 10, 20}, 50), 20);
  EXPECT_EQ(PercentileMs({30, 10, 20}, 99), 30);
}

TEST(SummarizeTest, CountsThroughputAndErrors) {
  LevelOutcome outcome;
  outcome.ok_latencies_ms = {10, 20, 30, 40};
  outcome.errors = {{"RESOURCE_EXHAUSTED", 3}};
  outcome.wall_seconds = 2.0;
  LevelSummary summary = Summarize(outcome);
  EXPECT_EQ(summary.requests, 7);
  EXPECT_EQ(summary.ok, 4);
  EXPECT_DOUBLE_EQ(summary.throughput_rps, 2.0);
  EXPECT_EQ(summary.p50_ms, 20);
  EXPECT_EQ(summary.p99_ms, 40);
  EXPECT_EQ(summary.errors, "RESOURCE_EXHAUSTED:3");
  EXPECT_TRUE(summary.only_expected_errors);

  outcome.errors["UNAVAILABLE"] = 1;
  summary = Summarize(outcome);
  EXPECT_EQ(summary.errors, "RESOURCE_EXHAUSTED:3;UNAVAILABLE:1");
  EXPECT_FALSE(summary.only_expected_errors);
}

}  // namespace
}  // namespace vlmc::bench
