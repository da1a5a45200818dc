#ifndef VLMC_BENCH_RATE_ACCURACY_PARALLEL_FOR_H_
#define VLMC_BENCH_RATE_ACCURACY_PARALLEL_FOR_H_

#include <functional>

#include "absl/status/status.h"

namespace vlmc::bench {

// Runs task(worker, i) for every i in [0, count) on `workers` threads
// (worker in [0, workers)), handing out indices in increasing order. After
// the first failure no new task starts; the error of the lowest failed index
// is returned once the running ones end. workers <= 1 runs everything on the
// calling thread as worker 0.
absl::Status ParallelFor(
    int count, int workers,
    const std::function<absl::Status(int worker, int i)>& task);

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_RATE_ACCURACY_PARALLEL_FOR_H_
