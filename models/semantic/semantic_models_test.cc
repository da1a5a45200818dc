// Smoke tests of the two detectors and the token model on the real weights
// (skipped when scripts/fetch-models.sh has not been run).
#include <filesystem>

#include "gtest/gtest.h"
#include "models/image/image_io.h"
#include "models/semantic/detector.h"
#include "models/semantic/preprocess.h"
#include "models/semantic/token_model.h"

namespace vlmc::semantic {
namespace {

// COCO 000000000009 (bowls of food on a table, a held-out image), resized to
// a detector's input size (512 or 416) by the tfjs fixture recorder.
std::string ImagePath(DetectorKind kind) {
  return std::string(VLMC_SOURCE_DIR) + "/tests/data/semantic/inputs/" +
         DetectorName(kind) + "_000000000009.png";
}
constexpr int kBowl = 45;

bool HaveModels() {
  return std::filesystem::exists(DefaultSemanticModelDir() +
                                 "/centernet.json") &&
         std::filesystem::exists(DefaultSemanticModelDir() + "/nanodet.json");
}

#define SKIP_WITHOUT_MODELS()                                  \
  if (!HaveModels())                                           \
  GTEST_SKIP() << "no models in " << DefaultSemanticModelDir() \
               << ": run scripts/fetch-models.sh"

image::Image LoadImage(DetectorKind kind = DetectorKind::kCenterNet) {
  absl::StatusOr<image::Image> img = image::ReadImageFile(ImagePath(kind));
  EXPECT_TRUE(img.ok()) << img.status();
  return img.ok() ? *img : image::Image{};
}

// Each pixel repeated 2x2. For an image at the detector's input size, the
// half-pixel bilinear resize maps it back to exactly that image, so
// detections must scale by exactly 2.
image::Image Upscale2x(const image::Image& img) {
  image::Image out{img.width * 2, img.height * 2, {}};
  out.rgb.resize(static_cast<size_t>(out.width) * out.height * 3);
  for (int y = 0; y < out.height; ++y) {
    for (int x = 0; x < out.width; ++x) {
      std::copy_n(
          &img.rgb[(static_cast<size_t>(y / 2) * img.width + x / 2) * 3], 3,
          &out.rgb[(static_cast<size_t>(y) * out.width + x) * 3]);
    }
  }
  return out;
}

class DetectorTest : public ::testing::TestWithParam<DetectorKind> {};

TEST_P(DetectorTest, FindsTheBowlAndMapsBoxesBack) {
  SKIP_WITHOUT_MODELS();
  absl::StatusOr<std::unique_ptr<Detector>> det =
      Detector::Load(GetParam(), DefaultSemanticModelDir());
  ASSERT_TRUE(det.ok()) << det.status();
  EXPECT_EQ((*det)->kind(), GetParam());
  const image::Image img = LoadImage(GetParam());
  absl::StatusOr<std::vector<Detection>> dets = (*det)->Detect(img, 0.3f);
  ASSERT_TRUE(dets.ok()) << dets.status();
  ASSERT_FALSE(dets->empty());
  bool bowl = false;
  for (size_t i = 0; i < dets->size(); ++i) {
    const Detection& d = (*dets)[i];
    EXPECT_GE(d.score, 0.3f);
    if (i > 0) EXPECT_LE(d.score, (*dets)[i - 1].score);
    EXPECT_TRUE(d.x0 >= 0 && d.x0 <= d.x1 && d.x1 <= img.width);
    EXPECT_TRUE(d.y0 >= 0 && d.y0 <= d.y1 && d.y1 <= img.height);
    bowl |= d.class_id == kBowl;
  }
  EXPECT_TRUE(bowl) << "no bowl found";

  // Boxes come back in the caller's pixels.
  absl::StatusOr<std::vector<Detection>> big =
      (*det)->Detect(Upscale2x(img), 0.3f);
  ASSERT_TRUE(big.ok()) << big.status();
  ASSERT_EQ(big->size(), dets->size());
  for (size_t i = 0; i < dets->size(); ++i) {
    const Detection& d = (*dets)[i];
    const Detection& b = (*big)[i];
    EXPECT_EQ(b.class_id, d.class_id);
    EXPECT_NEAR(b.score, d.score, 1e-4);
    EXPECT_NEAR(b.x0, 2 * d.x0, 0.05);
    EXPECT_NEAR(b.y0, 2 * d.y0, 0.05);
    EXPECT_NEAR(b.x1, 2 * d.x1, 0.05);
    EXPECT_NEAR(b.y1, 2 * d.y1, 0.05);
  }

  // A higher threshold only removes detections.
  absl::StatusOr<std::vector<Detection>> strict = (*det)->Detect(img, 0.5f);
  ASSERT_TRUE(strict.ok());
  EXPECT_LE(strict->size(), dets->size());
}

INSTANTIATE_TEST_SUITE_P(Both, DetectorTest,
                         ::testing::Values(DetectorKind::kCenterNet,
                                           DetectorKind::kNanoDet),
                         [](const auto& info) {
                           return std::string(DetectorName(info.param));
                         });

// A 200x100 image letterboxed into 512x512: scaled by 2.56 to 512x256 and
// centred, 128 rows of padding above and below.
TEST(PreprocessTest, LetterboxGeometry) {
  const torch::Tensor img = torch::ones({1, 3, 100, 200});
  InputTransform t;
  const torch::Tensor out = ResizeToInput(img, 512, 512, true, 0.0f, &t);
  ASSERT_EQ(out.sizes(), (std::vector<int64_t>{1, 3, 512, 512}));
  EXPECT_FLOAT_EQ(t.scale_x, 2.56f);
  EXPECT_FLOAT_EQ(t.scale_y, 2.56f);
  EXPECT_FLOAT_EQ(t.pad_x, 0.0f);
  EXPECT_FLOAT_EQ(t.pad_y, 128.0f);
  EXPECT_EQ(out[0][0][127][0].item<float>(), 0.0f);
  EXPECT_EQ(out[0][0][128][0].item<float>(), 1.0f);
  EXPECT_EQ(out[0][0][383][511].item<float>(), 1.0f);
  EXPECT_EQ(out[0][0][384][0].item<float>(), 0.0f);
  EXPECT_FLOAT_EQ(t.ToOriginalX(512.0f), 200.0f);
  EXPECT_FLOAT_EQ(t.ToOriginalY(128.0f), 0.0f);
  EXPECT_FLOAT_EQ(t.ToOriginalY(384.0f), 100.0f);

  InputTransform s;
  EXPECT_EQ(ResizeToInput(img, 416, 416, false, 0.0f, &s).sizes(),
            (std::vector<int64_t>{1, 3, 416, 416}));
  EXPECT_FLOAT_EQ(s.scale_x, 2.08f);
  EXPECT_FLOAT_EQ(s.scale_y, 4.16f);
  EXPECT_FLOAT_EQ(s.pad_y, 0.0f);
}

TEST(DetectorLoadTest, MissingModelNamesTheFetchScript) {
  absl::StatusOr<std::unique_ptr<Detector>> det =
      Detector::Load(DetectorKind::kNanoDet, "/nonexistent/models");
  ASSERT_FALSE(det.ok());
  EXPECT_EQ(det.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(det.status().message().find("fetch-models.sh"), std::string::npos);
  EXPECT_FALSE(ParseDetectorKind("yolo").ok());
  EXPECT_EQ(*ParseDetectorKind("nanodet"), DetectorKind::kNanoDet);
}

torch::Tensor ImageBatch() {
  const image::Image img = LoadImage();
  return torch::from_blob(const_cast<uint8_t*>(img.rgb.data()),
                          {1, img.height, img.width, 3}, torch::kUInt8)
             .permute({0, 3, 1, 2})
             .to(torch::kFloat) /
         255.0f;
}

TEST(TokenModelTest, ShapesAndBatchIndependence) {
  SKIP_WITHOUT_MODELS();
  absl::StatusOr<std::unique_ptr<TokenModel>> tm = TokenModel::Load();
  ASSERT_TRUE(tm.ok()) << tm.status();
  EXPECT_EQ((*tm)->strides(), std::vector<int>{16});
  torch::NoGradGuard no_grad;
  const torch::Tensor a = ImageBatch();
  const torch::Tensor b = a.flip(3);
  absl::StatusOr<torch::Tensor> both = (*tm)->Tokens(torch::cat({a, b}));
  ASSERT_TRUE(both.ok()) << both.status();
  ASSERT_EQ(both->sizes(), (std::vector<int64_t>{2, 32 * 32, 88}));
  absl::StatusOr<torch::Tensor> only_b = (*tm)->Tokens(b);
  ASSERT_TRUE(only_b.ok());
  EXPECT_TRUE(torch::allclose((*both)[1], (*only_b)[0], 1e-4, 1e-4));
  EXPECT_FALSE(torch::allclose((*both)[0], (*both)[1], 1e-2, 1e-2));

  // Other sizes are resized to 512 first.
  absl::StatusOr<torch::Tensor> small =
      (*tm)->Tokens(torch::rand({1, 3, 200, 300}));
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(small->sizes(), (std::vector<int64_t>{1, 1024, 88}));
  EXPECT_FALSE((*tm)->Tokens(torch::rand({1, 4, 64, 64})).ok());

  TokenModelOptions s32;
  s32.strides = {32};
  absl::StatusOr<std::unique_ptr<TokenModel>> tm32 = TokenModel::Load(s32);
  ASSERT_TRUE(tm32.ok()) << tm32.status();
  absl::StatusOr<torch::Tensor> t32 = (*tm32)->Tokens(a);
  ASSERT_TRUE(t32.ok());
  EXPECT_EQ(t32->sizes(), (std::vector<int64_t>{1, 16 * 16, 480}));

  TokenModelOptions bad;
  for (const std::vector<int>& strides :
       {std::vector<int>{}, std::vector<int>{4}, std::vector<int>{16, 16}}) {
    bad.strides = strides;
    EXPECT_EQ(TokenModel::Load(bad).status().code(),
              absl::StatusCode::kInvalidArgument)
        << strides.size();
  }
}

TEST(TokenModelTest, SeveralMapsInOnePassMatchOneMapEach) {
  SKIP_WITHOUT_MODELS();
  torch::NoGradGuard no_grad;
  const torch::Tensor a = ImageBatch();
  TokenModelOptions all;
  all.strides = {8, 16, 32};
  absl::StatusOr<std::unique_ptr<TokenModel>> multi = TokenModel::Load(all);
  ASSERT_TRUE(multi.ok()) << multi.status();
  absl::StatusOr<std::vector<torch::Tensor>> maps = (*multi)->TokenMaps(a);
  ASSERT_TRUE(maps.ok()) << maps.status();
  ASSERT_EQ(maps->size(), 3u);
  EXPECT_EQ((*maps)[0].sizes(), (std::vector<int64_t>{1, 64 * 64, 32}));
  for (size_t i = 0; i < all.strides.size(); ++i) {
    TokenModelOptions one;
    one.strides = {all.strides[i]};
    absl::StatusOr<std::unique_ptr<TokenModel>> single = TokenModel::Load(one);
    ASSERT_TRUE(single.ok()) << single.status();
    absl::StatusOr<torch::Tensor> tokens = (*single)->Tokens(a);
    ASSERT_TRUE(tokens.ok()) << tokens.status();
    EXPECT_TRUE(torch::equal(*tokens, (*maps)[i])) << all.strides[i];
  }
  // Tokens() is for one map only.
  EXPECT_EQ((*multi)->Tokens(a).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(TokenModelTest, DifferentiableWithFrozenWeights) {
  SKIP_WITHOUT_MODELS();
  absl::StatusOr<std::unique_ptr<TokenModel>> tm = TokenModel::Load();
  ASSERT_TRUE(tm.ok()) << tm.status();
  torch::Tensor x = ImageBatch().requires_grad_(true);
  absl::StatusOr<torch::Tensor> tokens = (*tm)->Tokens(x);
  ASSERT_TRUE(tokens.ok()) << tokens.status();
  ASSERT_TRUE(tokens->requires_grad());
  tokens->pow(2).mean().backward();
  ASSERT_TRUE(x.grad().defined());
  EXPECT_TRUE(torch::isfinite(x.grad()).all().item<bool>());
  EXPECT_GT(x.grad().abs().sum().item<float>(), 0.0f);
}

}  // namespace
}  // namespace vlmc::semantic
