#include "models/codec/bls2017_import.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "models/codec/image_tensor.h"
#include "models/image/image_io.h"

namespace vlmc::codec {
namespace {

using ::testing::HasSubstr;

const std::string kPretrainedDir =
    std::string(VLMC_SOURCE_DIR) + "/../shared/pretrained/bls2017-mse-0.125";

// The literal reading of the stored form: zeros inserted (input i at output
// s * i), then a correlation with the HWIO kernel.
torch::Tensor ZeroInsertAndCorrelate(const torch::Tensor& x,
                                     const torch::Tensor& hwio, int64_t stride,
                                     int64_t padding) {
  const auto sizes = x.sizes();
  torch::Tensor up = torch::zeros(
      {sizes[0], sizes[1], sizes[2] * stride, sizes[3] * stride}, x.options());
  using torch::indexing::Slice;
  up.index_put_({Slice(), Slice(), Slice(0, torch::indexing::None, stride),
                 Slice(0, torch::indexing::None, stride)},
                x);
  return torch::conv2d(up, hwio.permute({3, 2, 0, 1}), {}, 1, padding);
}

void ExpectSubpixelEqualsZeroInsertion(int64_t kernel, int64_t stride) {
  torch::manual_seed(kernel);
  const torch::Tensor hwio = torch::randn({kernel, kernel, 3, 2});
  const torch::Tensor x = torch::randn({1, 3, 5, 6});
  absl::StatusOr<torch::Tensor> weight =
      SubpixelKernelFromZeroInsertion(hwio, stride, kernel / 2);
  ASSERT_TRUE(weight.ok()) << weight.status();
  const torch::Tensor subpixel =
      torch::pixel_shuffle(torch::conv2d(x, *weight, {}, 1, 1), stride);
  const torch::Tensor reference =
      ZeroInsertAndCorrelate(x, hwio, stride, kernel / 2);
  ASSERT_EQ(subpixel.sizes(), reference.sizes());
  EXPECT_LT((subpixel - reference).abs().max().item<double>(), 1e-5);
}

TEST(SubpixelKernelTest, EqualsZeroInsertionFiveByFiveStrideTwo) {
  ExpectSubpixelEqualsZeroInsertion(5, 2);
}

TEST(SubpixelKernelTest, EqualsZeroInsertionNineByNineStrideFour) {
  ExpectSubpixelEqualsZeroInsertion(9, 4);
}

TEST(SubpixelKernelTest, RefusesAKernelWiderThanThreeInputSamples) {
  absl::StatusOr<torch::Tensor> weight =
      SubpixelKernelFromZeroInsertion(torch::zeros({7, 7, 1, 1}), 2, 3);
  EXPECT_EQ(weight.status().code(), absl::StatusCode::kInvalidArgument);
}

bool HavePretrained() {
  return std::filesystem::exists(kPretrainedDir + "/syn_w.bin");
}

TEST(Bls2017ImportTest, TransformsReproduceTheReferencePsnrOnKodim20) {
  if (!HavePretrained()) GTEST_SKIP() << "no " << kPretrainedDir;
  // A ladder whose top level is the trained lambda: its gains start at 1, so
  // quality 1 runs the imported transforms unscaled.
  CodecConfig config = Bls2017Config();
  config.level_lambdas = {0.01, kBls2017TrainedLambda};
  absl::StatusOr<HyperpriorNetwork> network =
      ImportBls2017(kPretrainedDir, config);
  ASSERT_TRUE(network.ok()) << network.status();
  absl::StatusOr<image::Image> image = image::ReadImageFile(
      std::string(VLMC_SOURCE_DIR) + "/tests/data/kodim20.png");
  ASSERT_TRUE(image.ok()) << image.status();
  const torch::Tensor x = PaddedImageTensor(*image);
  ASSERT_EQ(x.size(2), 512);
  torch::NoGradGuard no_grad;
  (*network)->eval();
  const torch::Tensor q = torch::ones({1});
  const torch::Tensor y = torch::round((*network)->Analysis(x, q));
  const torch::Tensor decoded =
      ((*network)->Synthesis(y, q).clamp(0, 1) * 255).round();
  const double mse = (decoded - x * 255).square().mean().item<double>();
  const double psnr = 10 * std::log10(255.0 * 255.0 / mse);
  EXPECT_GE(psnr, 36.4);
  EXPECT_LT(psnr, 37.0);  // the README's 36.46 dB, not a different network
}

// A copy of the pretrained folder in a temporary directory, to damage.
class DamagedPretrainedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HavePretrained()) GTEST_SKIP() << "no " << kPretrainedDir;
    // One folder per test: ctest runs the tests in parallel processes.
    dir_ = ::testing::TempDir() + "/bls2017_copy_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::copy(kPretrainedDir, dir_);
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
      std::filesystem::permissions(entry.path(),
                                   std::filesystem::perms::owner_write,
                                   std::filesystem::perm_options::add);
    }
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  absl::Status Import() {
    return ImportBls2017(dir_, Bls2017Config()).status();
  }
  std::string dir_;
};

TEST_F(DamagedPretrainedTest, MissingFileIsNamed) {
  std::filesystem::remove(dir_ + "/syn_b.bin");
  const absl::Status status = Import();
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr("syn_b.bin"));
}

TEST_F(DamagedPretrainedTest, ShortFileIsNamed) {
  std::filesystem::resize_file(dir_ + "/ana_w.bin", 3532288 - 4);
  const absl::Status status = Import();
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(status.message(), HasSubstr("ana_w.bin holds 3532284 bytes"));
}

TEST_F(DamagedPretrainedTest, LongFileIsNamed) {
  std::ofstream(dir_ + "/ana_b.bin", std::ios::app | std::ios::binary) << "x";
  const absl::Status status = Import();
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(status.message(), HasSubstr("ana_b.bin is longer"));
}

TEST_F(DamagedPretrainedTest, AlteredFileIsNamed) {
  {
    std::fstream file(dir_ + "/syn_w.bin",
                      std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(1000);
    file.put('\x7f');
  }
  const absl::Status status = Import();
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(status.message(), HasSubstr("syn_w.bin has sha256"));
}

TEST(Bls2017ImportTest, RefusesAnotherShape) {
  CodecConfig config = Bls2017Config();
  config.channels_m = 192;
  EXPECT_EQ(ImportBls2017(kPretrainedDir, config).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vlmc::codec
