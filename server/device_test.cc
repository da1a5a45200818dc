#include "server/device.h"

#include <gtest/gtest.h>
#include <torch/cuda.h>

namespace vlmc::service {
namespace {

TEST(ResolveDeviceTest, CpuIsAlwaysCpu) {
  absl::StatusOr<std::string> device = ResolveDevice(DeviceChoice::kCpu);
  ASSERT_TRUE(device.ok()) << device.status();
  EXPECT_EQ(*device, "cpu");
}

// What auto and cuda resolve to depends on the machine; both branches are
// checked wherever the test runs on a machine of that kind.
TEST(ResolveDeviceTest, AutoAndCudaFollowTheMachine) {
  absl::StatusOr<std::string> automatic = ResolveDevice(DeviceChoice::kAuto);
  absl::StatusOr<std::string> cuda = ResolveDevice(DeviceChoice::kCuda);
  ASSERT_TRUE(automatic.ok()) << automatic.status();
#ifdef VLMC_WITH_CUDA
  const bool usable = torch::cuda::is_available();
#else
  const bool usable = false;
#endif
  if (usable) {
    EXPECT_EQ(*automatic, "cuda:0");
    ASSERT_TRUE(cuda.ok()) << cuda.status();
    EXPECT_EQ(*cuda, "cuda:0");
  } else {
    EXPECT_EQ(*automatic, "cpu");
    EXPECT_EQ(cuda.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_NE(cuda.status().message().find("--device cuda"), std::string::npos)
        << cuda.status();
  }
}

}  // namespace
}  // namespace vlmc::service
