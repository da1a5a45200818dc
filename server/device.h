#ifndef VLMC_SERVER_DEVICE_H_
#define VLMC_SERVER_DEVICE_H_

#include <string>

#include "absl/status/statusor.h"
#include "server/server_options.h"

namespace vlmc::service {

// The device the codec's networks run on, as GetInfo reports it and
// codec::CodecOptions takes it: "cpu" or "cuda:0". kAuto gives "cuda:0" when
// this build has CUDA (VLMC_WITH_CUDA) and a device is usable, else "cpu";
// kCuda without that is FAILED_PRECONDITION with the reason.
absl::StatusOr<std::string> ResolveDevice(DeviceChoice choice);

}  // namespace vlmc::service

#endif  // VLMC_SERVER_DEVICE_H_
