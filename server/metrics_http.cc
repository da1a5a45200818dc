#include "server/metrics_http.h"

#include <netdb.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "prometheus/text_serializer.h"

namespace vlmc::service {
namespace {

// A scraper that sends nothing (or too much) cannot hold the thread long.
constexpr int kRequestTimeoutSeconds = 2;
constexpr size_t kMaxRequestBytes = 8192;

absl::Status Unavailable(const std::string& address, const std::string& why) {
  return absl::UnavailableError(
      absl::StrCat("cannot serve metrics on ", address, ": ", why));
}

// Binds and listens on HOST:PORT ("[v6]:PORT" too); returns the socket.
absl::StatusOr<int> Listen(const std::string& address, int* bound_port) {
  const size_t colon = address.rfind(':');
  std::string host = address.substr(0, colon);
  const std::string port = address.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* candidates = nullptr;
  if (int error = getaddrinfo(host.c_str(), port.c_str(), &hints, &candidates);
      error != 0) {
    return Unavailable(address, gai_strerror(error));
  }
  std::string why = "no usable address";
  int fd = -1;
  for (addrinfo* a = candidates; a != nullptr && fd < 0; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, a->ai_addr, a->ai_addrlen) != 0 || listen(fd, 16) != 0) {
      why = std::strerror(errno);
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(candidates);
  if (fd < 0) return Unavailable(address, why);
  sockaddr_storage bound{};
  socklen_t length = sizeof(bound);
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length);
  *bound_port = ntohs(bound.ss_family == AF_INET6
                          ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                          : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  return fd;
}

void SendAll(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n =
        send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<size_t>(n);
  }
}

std::string Reply(const std::string& status, const std::string& content_type,
                  const std::string& body) {
  return absl::StrCat("HTTP/1.1 ", status, "\r\nContent-Type: ", content_type,
                      "\r\nContent-Length: ", body.size(),
                      "\r\nConnection: close\r\n\r\n", body);
}

}  // namespace

absl::StatusOr<std::unique_ptr<MetricsHttpServer>> MetricsHttpServer::Start(
    const std::string& address,
    std::shared_ptr<prometheus::Registry> registry) {
  int port = 0;
  absl::StatusOr<int> listen_fd = Listen(address, &port);
  if (!listen_fd.ok()) return listen_fd.status();
  const int stop_fd = eventfd(0, EFD_CLOEXEC);
  if (stop_fd < 0) {
    close(*listen_fd);
    return Unavailable(address, std::strerror(errno));
  }
  const std::string bound =
      absl::StrCat(address.substr(0, address.rfind(':')), ":", port);
  std::unique_ptr<MetricsHttpServer> server(
      new MetricsHttpServer(*listen_fd, stop_fd, bound, std::move(registry)));
  server->thread_ = std::thread([raw = server.get()] { raw->Serve(); });
  return server;
}

MetricsHttpServer::MetricsHttpServer(
    int listen_fd, int stop_fd, std::string address,
    std::shared_ptr<prometheus::Registry> registry)
    : listen_fd_(listen_fd),
      stop_fd_(stop_fd),
      address_(std::move(address)),
      registry_(std::move(registry)) {}

MetricsHttpServer::~MetricsHttpServer() {
  const uint64_t one = 1;
  // Adding 1 to a fresh eventfd cannot fail or block.
  [[maybe_unused]] const ssize_t written = write(stop_fd_, &one, sizeof(one));
  if (thread_.joinable()) thread_.join();
  close(listen_fd_);
  close(stop_fd_);
}

void MetricsHttpServer::Serve() {
  while (true) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    const int connection = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (connection < 0) continue;
    Answer(connection);
    close(connection);
  }
}

void MetricsHttpServer::Answer(int connection) const {
  timeval timeout{kRequestTimeoutSeconds, 0};
  setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  setsockopt(connection, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  std::string request;
  char buffer[1024];
  while (!absl::StrContains(request, "\r\n\r\n") &&
         request.size() < kMaxRequestBytes) {
    const ssize_t n = recv(connection, buffer, sizeof(buffer), 0);
    if (n <= 0) break;
    request.append(buffer, static_cast<size_t>(n));
  }
  const std::string line = request.substr(0, request.find("\r\n"));
  if (absl::StartsWith(line, "GET /metrics ") ||
      absl::StartsWith(line, "GET /metrics?")) {
    const std::string body =
        prometheus::TextSerializer().Serialize(registry_->Collect());
    SendAll(connection,
            Reply("200 OK", "text/plain; version=0.0.4; charset=utf-8", body));
  } else if (absl::StartsWith(line, "GET ")) {
    SendAll(connection, Reply("404 Not Found", "text/plain",
                              "vlmc-server: metrics are at /metrics\n"));
  } else {
    SendAll(connection, Reply("405 Method Not Allowed", "text/plain",
                              "vlmc-server: only GET /metrics\n"));
  }
}

}  // namespace vlmc::service
