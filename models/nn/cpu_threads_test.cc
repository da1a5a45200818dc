#include "models/nn/cpu_threads.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace vlmc::nn {
namespace {

TEST(CpuThreadsTest, SetsLibTorchAndOpenBlasThreads) {
  const int torch_before = torch::get_num_threads();
  const int blas_before = BlasThreads();
  for (int threads : {1, 2}) {
    SetCpuThreads(threads);
    EXPECT_EQ(torch::get_num_threads(), threads);
    // scripts/setup.sh selects OpenBLAS; without it there is no pool to set.
    if (blas_before > 0) EXPECT_EQ(BlasThreads(), threads);
  }
  // Convolutions still compute the same after the change.
  torch::manual_seed(0);
  const torch::Tensor x = torch::rand({1, 4, 16, 16});
  const torch::Tensor w = torch::rand({8, 4, 3, 3});
  SetCpuThreads(1);
  const torch::Tensor one = torch::conv2d(x, w);
  SetCpuThreads(2);
  EXPECT_TRUE(torch::allclose(torch::conv2d(x, w), one, 1e-5, 1e-5));
  EXPECT_THROW(SetCpuThreads(0), c10::Error);
  SetCpuThreads(torch_before);
}

}  // namespace
}  // namespace vlmc::nn
