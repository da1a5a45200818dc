#include "models/train/level_monitor.h"

#include <gtest/gtest.h>

#include <cmath>

#include "models/codec/codec_config.h"

namespace vlmc::train {
namespace {

// An objective whose terms are simple functions of the quality, so the
// reports can be checked exactly: bpp = 1 + q, MSE = 0.01 (20 dB), and an
// extra "cos" = q / 2.
ObjectiveTerms QualityEcho(codec::HyperpriorNetwork&, const torch::Tensor& x,
                           const torch::Tensor& quality) {
  EXPECT_EQ(quality.size(0), x.size(0));
  EXPECT_TRUE(torch::equal(quality, quality[0].expand_as(quality)))
      << "one quality per monitor call";
  const torch::Tensor q = quality.to(torch::kFloat64);
  return ObjectiveTerms{
      q.sum(), 1.0 + q, torch::full_like(q, 0.01), {{"cos", q / 2}}};
}

codec::HyperpriorNetwork TinyNetwork() {
  codec::CodecConfig config;
  config.channels_n = 8;
  config.channels_m = 8;
  return codec::HyperpriorNetwork(config);
}

TEST(LevelMonitorTest, ReportsEachQualitysMeans) {
  codec::HyperpriorNetwork network = TinyNetwork();
  const torch::Tensor images = torch::zeros({3, 3, 64, 64});
  const std::vector<LevelReport> reports =
      MonitorLevels(QualityEcho, network, images, {0.0, 0.5, 1.0});
  ASSERT_EQ(reports.size(), 3u);
  for (size_t i = 0; i < reports.size(); ++i) {
    const double q = 0.5 * static_cast<double>(i);
    EXPECT_DOUBLE_EQ(reports[i].quality, q);
    EXPECT_NEAR(reports[i].bpp, 1.0 + q, 1e-12);
    EXPECT_NEAR(reports[i].psnr, 20.0, 1e-9);
    ASSERT_EQ(reports[i].extra.size(), 1u);
    EXPECT_EQ(reports[i].extra[0].first, "cos");
    EXPECT_NEAR(reports[i].extra[0].second, q / 2, 1e-12);
  }
  EXPECT_EQ(FormatLevelReports(7, {reports[0], reports[2]}),
            "monitor step 7: q=0 bpp 1.0000 psnr 20.00 cos 0.0000 | q=1 bpp "
            "2.0000 psnr 20.00 cos 0.5000\n");
  EXPECT_EQ(LevelReportHeader(reports), "step\tquality\tbpp\tpsnr\tcos\n");
  EXPECT_EQ(LevelReportRows(7, {reports[1]}),
            "7\t0.5\t1.50000\t20.000\t0.25000\n");
}

// The monitor's noise is the same on every call, and the training's random
// stream continues as if the monitor had not run.
TEST(LevelMonitorTest, NoiseIsRepeatableAndTrainingRandomnessUntouched) {
  codec::HyperpriorNetwork network = TinyNetwork();
  const Objective noisy = [](codec::HyperpriorNetwork&, const torch::Tensor& x,
                             const torch::Tensor& quality) {
    const torch::Tensor draw = torch::rand({x.size(0)}, torch::kFloat64);
    return ObjectiveTerms{draw.sum(), draw, torch::full_like(draw, 0.01), {}};
  };
  const torch::Tensor images = torch::zeros({2, 3, 64, 64});

  torch::manual_seed(5);
  const torch::Tensor expected = torch::rand({4});
  torch::manual_seed(5);
  const std::vector<LevelReport> first =
      MonitorLevels(noisy, network, images, {0.0});
  EXPECT_TRUE(torch::equal(torch::rand({4}), expected));
  // A different training state before the second call: the same noise.
  torch::manual_seed(6);
  const std::vector<LevelReport> second =
      MonitorLevels(noisy, network, images, {0.0});
  EXPECT_EQ(first[0].bpp, second[0].bpp);
}

TEST(LevelMonitorTest, RunsWithoutAutograd) {
  codec::HyperpriorNetwork network = TinyNetwork();
  bool grad_enabled = true;
  const Objective probe = [&](codec::HyperpriorNetwork&, const torch::Tensor& x,
                              const torch::Tensor& q) {
    grad_enabled = torch::GradMode::is_enabled();
    return QualityEcho(network, x, q);
  };
  MonitorLevels(probe, network, torch::zeros({1, 3, 64, 64}), {0.25});
  EXPECT_FALSE(grad_enabled);
}

}  // namespace
}  // namespace vlmc::train
