#ifndef VLMC_SERVER_DEVICE_H_
#define VLMC_SERVER_DEVICE_H_

#include <string>

#include "absl/status/statusor.h"
#include "server/server_options.h"

namespace vlmc::service {

// The device inference runs on, as GetInfo reports it ("cpu" or "cuda:N").
// The codec computes on the CPU only in this version, so kAuto gives "cpu" and
// kCuda is FAILED_PRECONDITION with the reason: no usable CUDA device, or the
// codec not running there.
absl::StatusOr<std::string> ResolveDevice(DeviceChoice choice);

}  // namespace vlmc::service

#endif  // VLMC_SERVER_DEVICE_H_
