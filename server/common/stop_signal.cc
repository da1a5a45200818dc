#include "server/common/stop_signal.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>

namespace vlmc::service {
namespace {

int stop_pipe[2] = {-1, -1};

extern "C" void OnStopSignal(int signal_number) {
  const char byte = static_cast<char>(signal_number);
  [[maybe_unused]] ssize_t ignored = write(stop_pipe[1], &byte, 1);
}

}  // namespace

bool CatchStopSignals() {
  if (stop_pipe[0] < 0 && pipe(stop_pipe) != 0) return false;
  struct sigaction action = {};
  action.sa_handler = OnStopSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  return sigaction(SIGINT, &action, nullptr) == 0 &&
         sigaction(SIGTERM, &action, nullptr) == 0;
}

int WaitForStopSignal() {
  char byte = 0;
  while (read(stop_pipe[0], &byte, 1) < 0 && errno == EINTR) {
  }
  return byte;
}

}  // namespace vlmc::service
