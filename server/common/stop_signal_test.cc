#include "server/common/stop_signal.h"

#include <signal.h>
#include <unistd.h>

#include <thread>

#include "gtest/gtest.h"

namespace vlmc::service {
namespace {

TEST(StopSignalTest, SigtermFromAnotherThreadWakesTheWaiter) {
  ASSERT_TRUE(CatchStopSignals());
  std::thread sender([] { kill(getpid(), SIGTERM); });
  EXPECT_EQ(WaitForStopSignal(), SIGTERM);
  sender.join();
  raise(SIGINT);
  EXPECT_EQ(WaitForStopSignal(), SIGINT);
}

}  // namespace
}  // namespace vlmc::service
