#include "models/ratecontrol/task_search.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>

#include "models/codec/test_images.h"
#include "models/image/metrics.h"

namespace vlmc::ratecontrol {
namespace {

// A stand-in for the semantic models: fidelity = PSNR / 50 dB (capped at 1),
// a known, quality-monotone function of the reconstruction.
class PsnrProbe : public FidelityProbe {
 public:
  explicit PsnrProbe(image::Image original) : original_(std::move(original)) {}

  absl::StatusOr<double> Measure(const image::Image& reconstruction) override {
    ++calls_;
    absl::StatusOr<double> psnr = image::Psnr(original_, reconstruction);
    if (!psnr.ok()) return psnr.status();
    return std::min(1.0, *psnr / 50.0);
  }

  int calls() const { return calls_; }

 private:
  image::Image original_;
  int calls_ = 0;
};

class FailingProbe : public FidelityProbe {
 public:
  absl::StatusOr<double> Measure(const image::Image&) override {
    return absl::InternalError("probe broke");
  }
};

class TaskSearchTest : public ::testing::Test {
 protected:
  const image::Image image_ = codec::test::Kodim20Crop(96, 176, 128, 128);
  const codec::Codec& codec_ = codec::test::ShippedCodec();
  PsnrProbe probe_{image_};

  // Fidelity of the reconstruction at `quality`, outside any search.
  double FidelityAt(double quality) {
    PsnrProbe probe(image_);
    absl::StatusOr<std::string> stream = codec_.Compress(image_, quality);
    EXPECT_TRUE(stream.ok()) << stream.status();
    if (!stream.ok()) return -1;
    absl::StatusOr<image::Image> decoded = codec_.Decompress(*stream);
    EXPECT_TRUE(decoded.ok()) << decoded.status();
    if (!decoded.ok()) return -1;
    absl::StatusOr<double> fidelity = probe.Measure(*decoded);
    EXPECT_TRUE(fidelity.ok()) << fidelity.status();
    return fidelity.ok() ? *fidelity : -1;
  }

  static TaskSearchOptions Options(double min_fidelity, int max_passes) {
    TaskSearchOptions options;
    options.min_fidelity = min_fidelity;
    options.max_passes = max_passes;
    return options;
  }
};

TEST_F(TaskSearchTest, QualityZeroThatMeetsIsOnePass) {
  const double f0 = FidelityAt(0.0);
  ASSERT_GT(f0, 0.0);
  absl::StatusOr<TaskEncodedImage> r =
      EncodeForTask(codec_, image_, probe_, Options(f0, 8));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->target_met);
  EXPECT_EQ(r->quality, 0.0);
  EXPECT_EQ(r->passes, 1);
  EXPECT_EQ(probe_.calls(), 1);
  EXPECT_EQ(r->fidelity, f0);
  EXPECT_DOUBLE_EQ(r->bpp, r->stream.size() * 8 / (128.0 * 128.0));
}

TEST_F(TaskSearchTest, UnreachableTargetReturnsQualityOne) {
  absl::StatusOr<TaskEncodedImage> r =
      EncodeForTask(codec_, image_, probe_, Options(1.0, 8));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->target_met);
  EXPECT_EQ(r->quality, 1.0);
  EXPECT_EQ(r->passes, 2);
  EXPECT_EQ(probe_.calls(), 2);
  EXPECT_EQ(r->fidelity, FidelityAt(1.0));
  EXPECT_LT(r->fidelity, 1.0);
}

TEST_F(TaskSearchTest, BisectionKeepsTheLowestPassingQuality) {
  const double f0 = FidelityAt(0.0), f1 = FidelityAt(1.0);
  ASSERT_LT(f0, f1);
  const double target = 0.5 * (f0 + f1);
  absl::StatusOr<TaskEncodedImage> r =
      EncodeForTask(codec_, image_, probe_, Options(target, 8));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->target_met);
  EXPECT_EQ(r->passes, 8);
  EXPECT_EQ(probe_.calls(), 8);
  EXPECT_GE(r->fidelity, target);
  EXPECT_GT(r->quality, 0.0);
  EXPECT_LT(r->quality, 1.0);
  // One analysis serves every pass: the bytes are a fresh encode's.
  EXPECT_EQ(r->stream, *codec_.Compress(image_, r->quality));
  // The returned stream is the one measured.
  absl::StatusOr<image::Image> decoded = codec_.Decompress(r->stream);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  PsnrProbe again(image_);
  EXPECT_EQ(*again.Measure(*decoded), r->fidelity);
  // 6 bisection steps: one step of 1/64 lower misses the target.
  EXPECT_LT(FidelityAt(r->quality - 1.0 / 64), target);
}

TEST_F(TaskSearchTest, RejectsInvalidOptions) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const TaskSearchOptions& options :
       {Options(0.0, 8), Options(-0.5, 8), Options(1.01, 8), Options(nan, 8),
        Options(0.9, 1), Options(0.9, 0)}) {
    EXPECT_EQ(EncodeForTask(codec_, image_, probe_, options).status().code(),
              absl::StatusCode::kInvalidArgument)
        << options.min_fidelity << " " << options.max_passes;
  }
  EXPECT_EQ(probe_.calls(), 0);
}

TEST_F(TaskSearchTest, ShouldStopAndProbeErrorsAbortTheSearch) {
  int polls = 0;
  TaskSearchOptions options = Options(1.0, 8);
  options.should_stop = [&polls] { return ++polls == 2; };
  EXPECT_EQ(EncodeForTask(codec_, image_, probe_, options).status().code(),
            absl::StatusCode::kCancelled);
  EXPECT_EQ(polls, 2);
  EXPECT_EQ(probe_.calls(), 1);

  FailingProbe failing;
  EXPECT_EQ(
      EncodeForTask(codec_, image_, failing, Options(0.9, 8)).status().code(),
      absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace vlmc::ratecontrol
