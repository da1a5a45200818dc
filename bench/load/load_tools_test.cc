#include <unistd.h>

#include "bench/load/loopback.h"
#include "bench/load/rss_sampler.h"
#include "gtest/gtest.h"

namespace vlmc::bench {
namespace {

TEST(CheckLoopbackTargetTest, AcceptsOnlyLoopbackHostsWithAPort) {
  EXPECT_TRUE(CheckLoopbackTarget("127.0.0.1:50051").ok());
  EXPECT_TRUE(CheckLoopbackTarget("127.1.2.3:1").ok());
  EXPECT_TRUE(CheckLoopbackTarget("localhost:8080").ok());
  EXPECT_TRUE(CheckLoopbackTarget("[::1]:50051").ok());
  EXPECT_FALSE(CheckLoopbackTarget("10.0.0.1:50051").ok());
  EXPECT_FALSE(CheckLoopbackTarget("example.com:443").ok());
  EXPECT_FALSE(CheckLoopbackTarget("127.0.0.1").ok());
  EXPECT_FALSE(CheckLoopbackTarget("127.0.0.1:0").ok());
  EXPECT_FALSE(CheckLoopbackTarget("127.0.0.1:70000").ok());
  EXPECT_FALSE(CheckLoopbackTarget("127.0.0.256:80").ok());
  EXPECT_FALSE(CheckLoopbackTarget("128.0.0.1:80").ok());
  EXPECT_FALSE(CheckLoopbackTarget("0.0.0.0:80").ok());
}

TEST(ParseVmRssKibTest, ReadsTheVmRssLine) {
  EXPECT_EQ(*ParseVmRssKib("Name:\tx\nVmPeak:\t 9 kB\nVmRSS:\t   12345 kB\n"),
            12345);
  EXPECT_FALSE(ParseVmRssKib("Name:\tx\n").ok());
}

TEST(RssSamplerTest, SeesThisProcessResident) {
  RssSampler sampler(getpid());
  for (int i = 0; i < 100 && sampler.PeakMb() <= 0; ++i) usleep(10000);
  EXPECT_GT(sampler.PeakMb(), 1.0);
}

}  // namespace
}  // namespace vlmc::bench
