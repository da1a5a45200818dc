#include "models/codec/tensor_hyper_synthesis.h"

#include <gtest/gtest.h>

#include <vector>

#include "models/codec/test_images.h"

namespace vlmc::codec {
namespace {

using Integer = IntegerHyperSynthesis;

std::vector<int32_t> ToVector(const torch::Tensor& t) {
  const torch::Tensor cpu = t.to(torch::kCPU, torch::kInt32).contiguous();
  return {cpu.data_ptr<int32_t>(), cpu.data_ptr<int32_t>() + cpu.numel()};
}

class TensorHyperSynthesisTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    network_ = new HyperpriorNetwork(test::ReferenceNetwork());
    absl::StatusOr<Integer> integer = Integer::FromNetwork(*network_);
    ASSERT_TRUE(integer.ok()) << integer.status();
    integer_ = new Integer(*std::move(integer));
  }
  static void TearDownTestSuite() {
    delete integer_;
    delete network_;
  }

  // Runs both implementations on z ([1, N, h, w] int32) with `threads` and
  // expects identical means and scales.
  static void ExpectSameAsReference(const torch::Tensor& z, int threads) {
    absl::StatusOr<TensorHyperSynthesis> tensor =
        TensorHyperSynthesis::Create(integer_->layers(), torch::kCPU);
    ASSERT_TRUE(tensor.ok()) << tensor.status();
    const int before = torch::get_num_threads();
    torch::set_num_threads(threads);
    const torch::Tensor contiguous = z.contiguous();
    const Integer::Output expected =
        integer_->Run(contiguous.data_ptr<int32_t>(), z.size(2), z.size(3));
    const TensorHyperSynthesis::Output got = tensor->Run(contiguous[0]);
    torch::set_num_threads(before);
    ASSERT_EQ(got.means.sizes(),
              (std::vector<int64_t>{expected.channels, expected.height,
                                    expected.width}));
    EXPECT_EQ(ToVector(got.means), expected.means);
    EXPECT_EQ(ToVector(got.scales), expected.scales);
  }

  static HyperpriorNetwork* network_;
  static Integer* integer_;
};
HyperpriorNetwork* TensorHyperSynthesisTest::network_ = nullptr;
Integer* TensorHyperSynthesisTest::integer_ = nullptr;

TEST_F(TensorHyperSynthesisTest, SameAsReferenceOnAnImage) {
  const torch::Tensor z = test::Kodim20HyperLatent(*network_);
  // Not a blank latent: the comparison covers real values.
  ASSERT_GT(z.abs().max().item<int32_t>(), 2);
  ExpectSameAsReference(z, 1);
}

// The z of a 1920x1088 image: the last layer's 68 rows do not fit one
// im2col band, so this also covers the banding.
TEST_F(TensorHyperSynthesisTest, SameAsReferenceOnLargeRandomLatent) {
  torch::manual_seed(7);
  const torch::Tensor z =
      torch::randint(-40, 41, {1, 64, 17, 30}, torch::kInt32);
  ExpectSameAsReference(z, 2);
}

// Hostile streams: z beyond the clamp, activations that saturate, and large
// sums of both signs (the LeakyReLU's negative branch and the limb split of
// negative activations).
TEST_F(TensorHyperSynthesisTest, SameAsReferenceOnExtremeLatents) {
  torch::manual_seed(11);
  const torch::Tensor signs =
      torch::randint(0, 2, {1, 64, 5, 6}, torch::kInt32) * 2 - 1;
  ExpectSameAsReference(signs * Integer::kMaxInput, 1);
  ExpectSameAsReference(signs * (Integer::kMaxInput * 64), 2);
  ExpectSameAsReference(
      torch::randint(-Integer::kMaxInput, Integer::kMaxInput + 1, {1, 64, 4, 4},
                     torch::kInt32),
      1);
}

TEST_F(TensorHyperSynthesisTest, RefusesLayersBeyondExactFloat64) {
  // 2000 input channels of weights near 2^25: sums of one limb could pass
  // 2^53.
  IntegerConvLayer layer;
  layer.in_channels = 2000;
  layer.out_channels = 1;
  layer.weights.assign(9 * 2000, (1 << 25) - 1);
  layer.biases.assign(1, 0);
  absl::StatusOr<TensorHyperSynthesis> tensor =
      TensorHyperSynthesis::Create({layer}, torch::kCPU);
  EXPECT_EQ(tensor.status().code(), absl::StatusCode::kInvalidArgument)
      << tensor.status();
}

}  // namespace
}  // namespace vlmc::codec
