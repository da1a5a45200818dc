#include "models/codec/integer_hyper_synthesis.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "models/codec/codec.h"
#include "models/codec/test_images.h"
#include "models/entropy/gaussian_table.h"

namespace vlmc::codec {
namespace {

using Integer = IntegerHyperSynthesis;

Integer::Output RunWithThreads(const Integer& integer, const torch::Tensor& z,
                               int threads) {
  const int before = torch::get_num_threads();
  torch::set_num_threads(threads);
  Integer::Output out =
      integer.Run(z.data_ptr<int32_t>(), z.size(2), z.size(3));
  torch::set_num_threads(before);
  return out;
}

class IntegerHyperSynthesisTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    network_ = new HyperpriorNetwork(test::ReferenceNetwork());
    z_ = new torch::Tensor(test::Kodim20HyperLatent(*network_));
    absl::StatusOr<Integer> integer = Integer::FromNetwork(*network_);
    ASSERT_TRUE(integer.ok()) << integer.status();
    integer_ = new Integer(*std::move(integer));
  }
  static void TearDownTestSuite() {
    delete integer_;
    delete z_;
    delete network_;
  }
  static HyperpriorNetwork* network_;
  static torch::Tensor* z_;
  static Integer* integer_;
};
HyperpriorNetwork* IntegerHyperSynthesisTest::network_ = nullptr;
torch::Tensor* IntegerHyperSynthesisTest::z_ = nullptr;
Integer* IntegerHyperSynthesisTest::integer_ = nullptr;

// The integer network computes the float network: the float16 weights are
// exact and only the activations are rounded (to 2^-17), so means and scales
// agree to about 1e-4 and almost no symbol changes its Gaussian table.
TEST_F(IntegerHyperSynthesisTest, AgreesWithFloat64HyperSynthesis) {
  HyperpriorNetwork f64 = test::ReferenceNetwork();
  f64->to(torch::kFloat64);
  torch::InferenceMode inference;
  auto [means, scales] = f64->HyperSynthesis(z_->to(torch::kFloat64));
  means = means.contiguous();
  scales = scales.contiguous();
  const Integer::Output out = RunWithThreads(*integer_, *z_, 1);
  ASSERT_EQ(out.channels, means.size(1));
  ASSERT_EQ(out.height, means.size(2));
  ASSERT_EQ(out.width, means.size(3));
  const double unit = std::ldexp(1.0, -Integer::kFractionBits);
  const double* m = means.data_ptr<double>();
  const double* s = scales.data_ptr<double>();
  const auto& table = entropy::GaussianScaleTable::Default();
  double max_mean_error = 0, max_scale_error = 0;
  int64_t index_changes = 0;
  for (size_t i = 0; i < out.means.size(); ++i) {
    max_mean_error =
        std::max(max_mean_error, std::abs(out.means[i] * unit - m[i]));
    max_scale_error =
        std::max(max_scale_error, std::abs(out.scales[i] * unit - s[i]));
    index_changes += table.IndexForFixedPointScale(out.scales[i]) !=
                     table.IndexForScale(static_cast<float>(s[i]));
  }
  EXPECT_LT(max_mean_error, 1e-3);
  EXPECT_LT(max_scale_error, 1e-3);
  EXPECT_LE(index_changes, static_cast<int64_t>(out.scales.size()) / 1000);
  // The outputs are not trivially small: the comparison means something.
  EXPECT_GT(means.abs().max().item<double>(), 1.0);
  EXPECT_GT(scales.max().item<double>(), 1.0);
}

TEST_F(IntegerHyperSynthesisTest, IdenticalWithOneAndTwoThreads) {
  const Integer::Output one = RunWithThreads(*integer_, *z_, 1);
  const Integer::Output two = RunWithThreads(*integer_, *z_, 2);
  EXPECT_EQ(one.means, two.means);
  EXPECT_EQ(one.scales, two.scales);
}

// A hostile stream may carry any z: inputs are clamped to 2^20 and
// activations saturate, so the result is defined (and the same everywhere).
TEST_F(IntegerHyperSynthesisTest, ExtremeInputsAreClampedAndSaturate) {
  torch::Tensor big = torch::full_like(*z_, Integer::kMaxInput);
  big.select(2, 0).fill_(-Integer::kMaxInput);
  torch::Tensor huge = big * 64;  // beyond the clamp: same result
  const Integer::Output a = RunWithThreads(*integer_, big, 2);
  const Integer::Output b = RunWithThreads(*integer_, huge, 1);
  EXPECT_EQ(a.means, b.means);
  EXPECT_EQ(a.scales, b.scales);
  int64_t saturated = 0;
  for (int32_t v : a.scales) {
    EXPECT_LE(std::abs(v), Integer::kActivationLimit);
    saturated += std::abs(v) == Integer::kActivationLimit;
  }
  EXPECT_GT(saturated, 0);
}

// The Winograd form computes the same integers as the direct loop, for
// kodim20's z and for saturating ones, and the reference model's layers all
// take it (else decoding would not get faster).
TEST_F(IntegerHyperSynthesisTest, WinogradAndDirectGiveTheSameIntegers) {
  absl::StatusOr<Integer> direct =
      Integer::FromNetwork(*network_, IntegerConvMethod::kDirect);
  ASSERT_TRUE(direct.ok()) << direct.status();
  for (size_t i = 0; i < integer_->layers().size(); ++i) {
    EXPECT_TRUE(integer_->UsesWinograd(i)) << "layer " << i;
    EXPECT_FALSE(direct->UsesWinograd(i)) << "layer " << i;
  }
  torch::Tensor extreme = torch::full_like(*z_, Integer::kMaxInput);
  extreme.select(3, 1).fill_(-Integer::kMaxInput);
  // An odd-sized z exercises the Winograd form's partial blocks.
  const torch::Tensor odd = z_->slice(2, 0, z_->size(2) - 1)
                                .slice(3, 0, z_->size(3) - 1)
                                .contiguous();
  ASSERT_EQ(odd.size(2) % 2 + odd.size(3) % 2, 2);
  for (const torch::Tensor& z : {*z_, extreme, odd}) {
    const Integer::Output fast = RunWithThreads(*integer_, z, 2);
    const Integer::Output exact = RunWithThreads(*direct, z, 1);
    EXPECT_EQ(fast.means, exact.means);
    EXPECT_EQ(fast.scales, exact.scales);
    EXPECT_EQ(fast.height, exact.height);
    EXPECT_EQ(fast.width, exact.width);
  }
}

TEST(IntegerHyperSynthesisLoadTest, RefusesWeightsBeyondTheIntegerFormat) {
  HyperpriorNetwork network(CodecConfig{});
  {
    torch::NoGradGuard no_grad;
    network->named_parameters()["h_s.0.conv.weight"][0][0][0][0].fill_(300.0);
  }
  absl::StatusOr<Integer> integer = Integer::FromNetwork(network);
  EXPECT_EQ(integer.status().code(), absl::StatusCode::kInvalidArgument)
      << integer.status();
}

TEST(IntegerHyperSynthesisCodecTest, CodecWritesFormatVersion2) {
  absl::StatusOr<std::unique_ptr<Codec>> codec =
      Codec::Load(VLMC_REFERENCE_MODEL_PATH);
  ASSERT_TRUE(codec.ok()) << codec.status();
  image::Image img{64, 64, std::vector<uint8_t>(64 * 64 * 3, 90)};
  absl::StatusOr<std::string> stream = (*codec)->Compress(img, 0.5);
  ASSERT_TRUE(stream.ok()) << stream.status();
  ASSERT_GT(stream->size(), 4u);
  EXPECT_EQ((*stream)[4], 2);
  EXPECT_TRUE((*codec)->Decompress(*stream).ok());
}

}  // namespace
}  // namespace vlmc::codec
