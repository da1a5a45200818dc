#ifndef VLMC_SERVER_METRICS_HTTP_H_
#define VLMC_SERVER_METRICS_HTTP_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "prometheus/registry.h"

namespace vlmc::service {

// Serves a prometheus-cpp registry in the text exposition format at
// GET /metrics, one connection at a time, on its own thread.
//
// Why not prometheus::Exposer: its civetweb starts threads with a fixed
// 100 KiB stack, and with LibTorch's libraries loaded the process's static
// TLS alone is larger than that, so the threads (and the Exposer) fail.
class MetricsHttpServer {
 public:
  // Binds HOST:PORT (port 0: a free port). UNAVAILABLE when it cannot.
  static absl::StatusOr<std::unique_ptr<MetricsHttpServer>> Start(
      const std::string& address,
      std::shared_ptr<prometheus::Registry> registry);

  // Stops serving and joins the thread.
  ~MetricsHttpServer();

  MetricsHttpServer(const MetricsHttpServer&) = delete;
  MetricsHttpServer& operator=(const MetricsHttpServer&) = delete;

  // HOST:PORT as requested, with the port actually bound.
  const std::string& address() const { return address_; }

 private:
  MetricsHttpServer(int listen_fd, int stop_fd, std::string address,
                    std::shared_ptr<prometheus::Registry> registry);
  void Serve();
  void Answer(int connection) const;

  const int listen_fd_;
  const int stop_fd_;  // an eventfd that wakes Serve() to stop
  const std::string address_;
  const std::shared_ptr<prometheus::Registry> registry_;
  std::thread thread_;
};

}  // namespace vlmc::service

#endif  // VLMC_SERVER_METRICS_HTTP_H_
