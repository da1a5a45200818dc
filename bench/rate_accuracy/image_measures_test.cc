#include "bench/rate_accuracy/image_measures.h"

#include <torch/torch.h>

#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "models/image/image_io.h"

namespace vlmc::bench {
namespace {

// The models and the original's view are made once for the suite: each model
// run costs about a second on a busy CPU.
class ImageMeasuresTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    torch::set_num_threads(1);
    absl::StatusOr<SemanticModels> models =
        SemanticModels::Load(semantic::DefaultSemanticModelDir());
    absl::StatusOr<image::Image> img =
        image::ReadImageFile("tests/data/kodim20.png");
    if (!models.ok() || !img.ok()) return;
    absl::StatusOr<SemanticView> view = See(*models, *img);
    if (!view.ok()) return;
    shared_ = new Shared{*std::move(models), *std::move(img), *std::move(view)};
  }
  static void TearDownTestSuite() {
    delete shared_;
    shared_ = nullptr;
  }
  void SetUp() override {
    if (shared_ == nullptr) {
      GTEST_SKIP() << "detector models or tests/data/kodim20.png missing "
                      "(scripts/fetch-models.sh)";
    }
  }

  struct Shared {
    SemanticModels models;
    image::Image image;
    SemanticView view;
  };
  static Shared* shared_;
};

ImageMeasuresTest::Shared* ImageMeasuresTest::shared_ = nullptr;

TEST_F(ImageMeasuresTest, SeesTokensAndDetections) {
  EXPECT_EQ(shared_->view.tokens.sizes(), (std::vector<int64_t>{1, 1024, 88}));
  EXPECT_FALSE(shared_->view.centernet.empty());
  EXPECT_FALSE(shared_->view.nanodet.empty());
}

TEST_F(ImageMeasuresTest, LosslessReconstructionIsRefused) {
  EXPECT_EQ(
      Measure(shared_->models, shared_->image, shared_->view, shared_->image)
          .status()
          .code(),
      absl::StatusCode::kFailedPrecondition);
}

TEST_F(ImageMeasuresTest, SizeMismatchIsInvalid) {
  image::Image smaller = shared_->image;
  smaller.height -= 2;
  smaller.rgb.resize(size_t{3} * smaller.width * smaller.height);
  EXPECT_EQ(Measure(shared_->models, shared_->image, shared_->view, smaller)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ImageMeasuresTest, ASlightChangeScoresCloseToTheOriginal) {
  image::Image changed = shared_->image;
  for (size_t i = 0; i < changed.rgb.size(); i += 7) {
    changed.rgb[i] = changed.rgb[i] < 255 ? changed.rgb[i] + 1 : 254;
  }
  absl::StatusOr<Measures> m =
      Measure(shared_->models, shared_->image, shared_->view, changed);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_GT(m->psnr, 50);
  EXPECT_GT(m->ms_ssim, 0.999);
  EXPECT_LT(m->ms_ssim, 1.0);
  EXPECT_GT(m->token_cosine, 0.99);
  EXPECT_LT(m->token_spectrum, 0.01);
  // The same objects: as many confident detections as on the original.
  auto confident = [](const std::vector<semantic::Detection>& dets) {
    int n = 0;
    for (const semantic::Detection& d : dets) n += d.score >= 0.5f;
    return n;
  };
  EXPECT_EQ(confident(m->view.centernet), confident(shared_->view.centernet));
  EXPECT_EQ(confident(m->view.nanodet), confident(shared_->view.nanodet));
}

}  // namespace
}  // namespace vlmc::bench
