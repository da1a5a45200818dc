#include "models/codec/latent_refinement.h"

#include <gtest/gtest.h>

#include <cmath>

#include "models/codec/codec.h"
#include "models/codec/test_images.h"
#include "models/image/metrics.h"

namespace vlmc::codec {
namespace {

TEST(LambdaForQualityTest, FollowsTheLadderLogLinearly) {
  CodecConfig config;
  config.level_lambdas = {0.001, 0.004, 0.016};
  EXPECT_DOUBLE_EQ(LambdaForQuality(config, 0.0), 0.001);
  EXPECT_DOUBLE_EQ(LambdaForQuality(config, 1.0), 0.016);
  EXPECT_NEAR(LambdaForQuality(config, 0.5), 0.004, 1e-12);
  EXPECT_NEAR(LambdaForQuality(config, 0.25), 0.002, 1e-12);
  EXPECT_DOUBLE_EQ(LambdaForQuality(config, 7.0), 0.016);  // clamped
}

// A 192×128 window of kodim20 (detailed enough that the latents matter).
image::Image TestImage() { return test::Kodim20Crop(300, 200, 192, 128); }

// bits + λ·255²·MSE of a coded stream, as the refinement measures it.
double MeasuredCost(const Codec& codec, const image::Image& original,
                    const std::string& stream, double quality) {
  absl::StatusOr<image::Image> decoded = codec.Decompress(stream);
  EXPECT_TRUE(decoded.ok()) << decoded.status();
  absl::StatusOr<double> psnr = image::Psnr(original, *decoded);
  EXPECT_TRUE(psnr.ok());
  const double pixels = static_cast<double>(original.width) * original.height;
  const double mse = std::pow(10.0, -*psnr / 10.0);
  return stream.size() * 8.0 / pixels +
         LambdaForQuality(codec.config(), quality) * 255.0 * 255.0 * mse;
}

TEST(LatentRefinementTest, RefinedStreamsDecodeAndCostLess) {
  absl::StatusOr<std::unique_ptr<Codec>> codec =
      Codec::Load(VLMC_REFERENCE_MODEL_PATH);
  ASSERT_TRUE(codec.ok()) << codec.status();
  const image::Image original = TestImage();
  RefinementOptions refine;
  refine.iterations = 12;
  refine.noise_rate = true;
  for (double quality : {0.5, 1.0}) {
    absl::StatusOr<std::string> plain = (*codec)->Compress(original, quality);
    absl::StatusOr<std::string> refined =
        (*codec)->Compress(original, quality, {refine});
    ASSERT_TRUE(plain.ok() && refined.ok());
    EXPECT_NE(*plain, *refined) << "refinement changed nothing at " << quality;
    EXPECT_LT(MeasuredCost(**codec, original, *refined, quality),
              MeasuredCost(**codec, original, *plain, quality))
        << "quality " << quality;
    // Same seed and threads: the same stream again.
    absl::StatusOr<std::string> again =
        (*codec)->Compress(original, quality, {refine});
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, *refined);
  }
}

// Callers may hold an inference-mode or no-grad guard; the search must still
// differentiate and give the same stream.
TEST(LatentRefinementTest, WorksUnderTheCallersGradGuards) {
  absl::StatusOr<std::unique_ptr<Codec>> codec =
      Codec::Load(VLMC_REFERENCE_MODEL_PATH);
  ASSERT_TRUE(codec.ok()) << codec.status();
  const image::Image original = TestImage();
  RefinementOptions refine;
  refine.iterations = 4;
  refine.noise_rate = true;
  absl::StatusOr<std::string> plain =
      (*codec)->Compress(original, 1.0, {refine});
  ASSERT_TRUE(plain.ok()) << plain.status();
  {
    torch::InferenceMode inference;
    absl::StatusOr<std::string> guarded =
        (*codec)->Compress(original, 1.0, {refine});
    ASSERT_TRUE(guarded.ok()) << guarded.status();
    EXPECT_EQ(*guarded, *plain);
  }
  {
    torch::NoGradGuard no_grad;
    absl::StatusOr<std::string> guarded =
        (*codec)->Compress(original, 1.0, {refine});
    ASSERT_TRUE(guarded.ok()) << guarded.status();
    EXPECT_EQ(*guarded, *plain);
  }
}

TEST(LatentRefinementTest, ZeroIterationsIsThePlainEncoder) {
  absl::StatusOr<std::unique_ptr<Codec>> codec =
      Codec::Load(VLMC_REFERENCE_MODEL_PATH);
  ASSERT_TRUE(codec.ok()) << codec.status();
  const image::Image original = TestImage();
  EXPECT_EQ(*(*codec)->Compress(original, 0.5),
            *(*codec)->Compress(original, 0.5, {RefinementOptions{}}));
}

TEST(LatentRefinementTest, RejectsBadOptions) {
  absl::StatusOr<std::unique_ptr<Codec>> codec =
      Codec::Load(VLMC_REFERENCE_MODEL_PATH);
  ASSERT_TRUE(codec.ok()) << codec.status();
  const image::Image original = TestImage();
  RefinementOptions refine;
  refine.iterations = -1;
  EXPECT_EQ((*codec)->Compress(original, 0.5, {refine}).status().code(),
            absl::StatusCode::kInvalidArgument);
  refine.iterations = kMaxRefinementIterations + 1;
  EXPECT_EQ((*codec)->Compress(original, 0.5, {refine}).status().code(),
            absl::StatusCode::kInvalidArgument);
  refine.iterations = 3;
  refine.learning_rate = 0;
  EXPECT_EQ((*codec)->Compress(original, 0.5, {refine}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vlmc::codec
