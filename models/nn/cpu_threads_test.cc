#include "models/nn/cpu_threads.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <fstream>
#include <iterator>
#include <string>

namespace vlmc::nn {
namespace {

// Whether OpenBLAS is mapped into this process, found without the symbol
// lookup under test.
bool OpenBlasLoaded() {
  std::ifstream maps("/proc/self/maps");
  const std::string text((std::istreambuf_iterator<char>(maps)),
                         std::istreambuf_iterator<char>());
  return text.find("openblas") != std::string::npos;
}

TEST(CpuThreadsTest, SetsLibTorchAndOpenBlasThreads) {
  const int torch_before = torch::get_num_threads();
  // scripts/setup.sh selects OpenBLAS; with another BLAS there is no pool.
  const bool openblas = OpenBlasLoaded();
  EXPECT_EQ(BlasThreads() > 0, openblas);
  for (int threads : {1, 2}) {
    SetCpuThreads(threads);
    EXPECT_EQ(torch::get_num_threads(), threads);
    if (openblas) EXPECT_EQ(BlasThreads(), threads);
  }
  EXPECT_THROW(SetCpuThreads(0), c10::Error);
  SetCpuThreads(torch_before);
}

}  // namespace
}  // namespace vlmc::nn
