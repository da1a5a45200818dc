#ifndef VLMC_CLIENT_REMOTE_COMMANDS_H_
#define VLMC_CLIENT_REMOTE_COMMANDS_H_

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "client/encode_target.h"
#include "models/image/image.h"
#include "models/semantic/detection.h"
#include "models/util/cli_flags.h"

namespace vlmc::cli {

// The `--server` halves of the commands. With the service built they talk to
// the servers (remote_commands.cc); in a training-only build
// (remote_unavailable.cc) each one fails with "built without the service"
// as a usage error (exit code 2). `flags` are the command's parsed flags,
// including ServerFlags().

// `downscale` (EncodeOptions::downscale) is sent as rate.resolution.
int RemoteEncode(const Flags& flags, const std::string& input_path,
                 const EncodeTarget& target, int downscale);
int RemoteDecode(const Flags& flags, const std::string& stream_path);
// Prints the server's GetInfo.
int RemoteInfo(const Flags& flags);

// One encode + decode of `eval`, wherever it runs.
struct RoundTrip {
  std::string codec_name;  // "<model id>-v<version>"
  size_t stream_bytes = 0;
  image::Image decoded;
  double encode_ms = 0;
  double decode_ms = 0;
};
using RoundTripFn = std::function<absl::StatusOr<RoundTrip>(
    const image::Image& original, double quality)>;
// Encode and Decode RPCs on the --server (wall-clock round-trip times).
// Errors here are usage errors (bad --server or --deadline-ms).
absl::StatusOr<RoundTripFn> RemoteRoundTrip(const Flags& flags);

using DetectFn = std::function<absl::StatusOr<std::vector<semantic::Detection>>(
    const std::string& image_path)>;
// Sends the image file to the LvlmService at --server, task "detect", with
// the --model and --threshold flags as options. Errors here are usage errors.
absl::StatusOr<DetectFn> RemoteDetector(const Flags& flags);

}  // namespace vlmc::cli

#endif  // VLMC_CLIENT_REMOTE_COMMANDS_H_
