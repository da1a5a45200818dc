#ifndef VLMC_SERVER_SERVICE_TEST_UTIL_H_
#define VLMC_SERVER_SERVICE_TEST_UTIL_H_

// Helpers for the in-process service tests: a small server on 127.0.0.1:0,
// a small test image, and raw calls for services without generated stubs.

#include <future>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"
#include "models/image/image.h"
#include "prometheus/registry.h"
#include "server/server_options.h"
#include "server/vlmc_server.h"
#include "server/work_queue.h"

namespace vlmc::service::testing {

// Options for a test server: free ports on 127.0.0.1, the shipped zoo, one
// worker, a queue of two, 64 KiB unary limit, images up to 20000 pixels, no
// semantic models.
ServerOptions SmallServerOptions();

// Occupies a server's only worker until released (or destroyed), so that
// the calls under test queue up behind it.
class WorkerBlocker {
 public:
  explicit WorkerBlocker(WorkQueue& queue);
  ~WorkerBlocker() { Release(); }
  void Release();

 private:
  std::promise<void> started_;
  std::promise<void> release_;
  std::shared_future<void> release_future_ = release_.get_future().share();
  bool released_ = false;
};

// A size x size crop of tests/data/kodim20.png.
image::Image TestImage(int size);

// A PNG whose header declares width x height and whose data is a token.
std::string PngDeclaring(uint32_t width, uint32_t height);

// Calls a unary method with hand-encoded protobuf bytes; returns the
// response bytes or the call's status.
absl::StatusOr<std::string> RawUnaryCall(grpc::Channel& channel,
                                         const std::string& method,
                                         const std::string& request);

// vlmc_requests_total{method, code} in `registry` (0 before the first such
// call).
double RequestCount(const prometheus::Registry& registry,
                    const std::string& method, const std::string& code);

// Lists the services the reflection service names (the raw response bytes,
// which hold the names as plain strings).
absl::StatusOr<std::string> ReflectionListServices(grpc::Channel& channel);

}  // namespace vlmc::service::testing

#endif  // VLMC_SERVER_SERVICE_TEST_UTIL_H_
