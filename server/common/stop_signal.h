#ifndef VLMC_SERVER_COMMON_STOP_SIGNAL_H_
#define VLMC_SERVER_COMMON_STOP_SIGNAL_H_

namespace vlmc::service {

// SIGINT / SIGTERM handling for the server mains. A handler writes the signal
// number to a pipe that WaitForStopSignal() reads. Not sigwait() with the
// signals blocked: a thread that a shared library's initialiser started
// before main would not have them blocked, and the process would die of a
// signal delivered to it.

// Installs the handler for SIGINT and SIGTERM; false if that failed.
bool CatchStopSignals();

// Blocks until SIGINT or SIGTERM arrives; returns its number.
int WaitForStopSignal();

}  // namespace vlmc::service

#endif  // VLMC_SERVER_COMMON_STOP_SIGNAL_H_
