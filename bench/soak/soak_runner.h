#ifndef VLMC_BENCH_SOAK_SOAK_RUNNER_H_
#define VLMC_BENCH_SOAK_SOAK_RUNNER_H_

#include <atomic>
#include <random>
#include <string>
#include <vector>

#include "bench/soak/soak_cases.h"
#include "bench/soak/soak_options.h"
#include "bench/soak/soak_tally.h"
#include "vlmc/v1/codec.grpc.pb.h"

namespace vlmc::bench {

// Drives the mixed load: `concurrency` threads, each with its own channel
// (a new connection every options.reconnect_every calls), each call of a
// kind drawn at random, every answer tallied and every OK answer checked
// against the library.
class SoakRunner {
 public:
  SoakRunner(const SoakOptions& options, std::string target,
             const std::vector<ValidCase>& valid,
             const std::vector<RefusalCase>& corrupt,
             const std::vector<RefusalCase>& oversized, SoakTally* tally);

  // Runs the load for `seconds` (or until `abort` turns true), then returns
  // once every call has finished and every channel is closed.
  void RunFor(double seconds, const std::atomic<bool>& abort);

 private:
  void Worker(unsigned seed, double seconds, const std::atomic<bool>& abort);
  void OneCall(v1::VlmCodec::Stub& stub, std::mt19937& rng);
  void ValidCall(v1::VlmCodec::Stub& stub, std::mt19937& rng, SoakKind kind,
                 int timeout_ms, int cancel_after_ms);
  void RefusalCall(v1::VlmCodec::Stub& stub, const RefusalCase& refusal);

  const SoakOptions& options_;
  const std::string target_;
  const std::vector<ValidCase>& valid_;
  const std::vector<RefusalCase>& corrupt_;
  const std::vector<RefusalCase>& oversized_;
  SoakTally* tally_;
  std::atomic<unsigned> runs_{0};
};

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_SOAK_SOAK_RUNNER_H_
