#include "models/nn/cpu_threads.h"

#include <dlfcn.h>
#include <torch/torch.h>

namespace vlmc::nn {
namespace {

// Looked up at run time: libblas.so.3 is whichever BLAS Debian's alternatives
// select (reference BLAS has no thread pool and no such symbols).
template <typename Function>
Function OpenBlasFunction(const char* name) {
  return reinterpret_cast<Function>(dlsym(RTLD_DEFAULT, name));
}

}  // namespace

void SetCpuThreads(int threads) {
  TORCH_CHECK(threads >= 1, "thread count must be >= 1, got ", threads);
  torch::set_num_threads(threads);
  if (auto set = OpenBlasFunction<void (*)(int)>("openblas_set_num_threads")) {
    set(threads);
  }
}

int BlasThreads() {
  auto get = OpenBlasFunction<int (*)()>("openblas_get_num_threads");
  return get != nullptr ? get() : 0;
}

}  // namespace vlmc::nn
