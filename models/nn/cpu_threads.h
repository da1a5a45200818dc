#ifndef VLMC_MODELS_NN_CPU_THREADS_H_
#define VLMC_MODELS_NN_CPU_THREADS_H_

namespace vlmc::nn {

// Sets LibTorch's intra-op thread count to `threads` (>= 1) and, when the
// process's BLAS is OpenBLAS, OpenBLAS's as well.
//
// Why both: Debian's LibTorch runs convolutions through libblas.so.3, and
// with OpenBLAS (pthreads) selected its pool keeps one thread per core that
// spins in sched_yield between calls, whatever LibTorch was told. A
// one-thread task-training job beside another job on 2 cores ran at 10.5
// img/s with the default pool and 16.4 with one BLAS thread (system time
// 9.7 s -> 0.2 s over 80 steps).
void SetCpuThreads(int threads);

// OpenBLAS's thread count, or 0 when the BLAS in this process is not
// OpenBLAS.
int BlasThreads();

}  // namespace vlmc::nn

#endif  // VLMC_MODELS_NN_CPU_THREADS_H_
