#include "models/codec/pre_editor.h"

#include <gtest/gtest.h>

namespace vlmc::codec {
namespace {

constexpr int64_t kQualityLevels = 6;

torch::Tensor Qualities(int64_t batch) { return torch::rand({batch}); }

int64_t ParameterCount(torch::nn::Module& module) {
  int64_t count = 0;
  for (const torch::Tensor& p : module.parameters()) count += p.numel();
  return count;
}

TEST(PreEditorTest, IdentityAtInitialisation) {
  torch::manual_seed(0);
  PreEditor editor(PreEditorConfig{}, kQualityLevels);
  const torch::Tensor x = torch::rand({2, 3, 64, 128});
  const torch::Tensor edited = editor->forward(x, Qualities(2));
  EXPECT_EQ(edited.sizes(), x.sizes());
  EXPECT_TRUE(torch::equal(edited, x));
  EXPECT_EQ(editor->Residual(x).abs().max().item<float>(), 0.0f);
}

TEST(PreEditorTest, ShapesForEveryMultipleOfTheDownsampling) {
  torch::manual_seed(0);
  PreEditor editor(PreEditorConfig{{8, 16, 32, 64}}, kQualityLevels);
  // Make the edit non-zero so a wrong alignment of skips would show.
  torch::NoGradGuard no_grad;
  for (auto& p : editor->named_parameters()) {
    if (p.key().rfind("out.", 0) == 0) p.value().normal_(0.0, 0.1);
  }
  for (const auto& hw : std::vector<std::pair<int64_t, int64_t>>{
           {8, 8}, {64, 192}, {200, 136}}) {
    const torch::Tensor x = torch::rand({1, 3, hw.first, hw.second});
    const torch::Tensor r = editor->Residual(x);
    EXPECT_EQ(r.sizes(), x.sizes());
    EXPECT_GT(r.abs().max().item<float>(), 0.0f);
  }
  EXPECT_THROW(editor->forward(torch::rand({1, 3, 64, 60}), Qualities(1)),
               c10::Error);
  EXPECT_THROW(editor->forward(torch::rand({1, 1, 64, 64}), Qualities(1)),
               c10::Error);
  // One quality per image.
  EXPECT_THROW(editor->forward(torch::rand({2, 3, 64, 64}), Qualities(1)),
               c10::Error);
}

TEST(PreEditorTest, GradientsReachEveryParameterAndTheInput) {
  torch::manual_seed(0);
  PreEditor editor(PreEditorConfig{}, kQualityLevels);
  torch::Tensor x = torch::rand({2, 3, 64, 64}).requires_grad_(true);
  const torch::Tensor target = torch::rand({2, 3, 64, 64});
  const torch::Tensor quality = Qualities(2);
  auto loss = [&] {
    return (editor->forward(x, quality) - target).square().mean();
  };

  // At zero init only the last convolution sees a gradient (the rest, and
  // the strength, are multiplied by its zero output); the input gets the
  // identity path's.
  loss().backward();
  for (const auto& p : editor->named_parameters()) {
    ASSERT_TRUE(p.value().grad().defined()) << p.key();
    const bool is_out = p.key().rfind("out.", 0) == 0;
    EXPECT_EQ(p.value().grad().abs().sum().item<float>() > 0.0f, is_out)
        << p.key();
  }
  EXPECT_GT(x.grad().abs().sum().item<float>(), 0.0f);

  // One optimiser step opens the path to every layer.
  torch::optim::SGD sgd(editor->parameters(), torch::optim::SGDOptions(0.1));
  sgd.step();
  sgd.zero_grad();
  const float before = loss().item<float>();
  loss().backward();
  for (const auto& p : editor->named_parameters()) {
    EXPECT_TRUE(torch::isfinite(p.value().grad()).all().item<bool>())
        << p.key();
    EXPECT_GT(p.value().grad().abs().sum().item<float>(), 0.0f) << p.key();
  }
  sgd.step();
  EXPECT_LT(loss().item<float>(), before);
}

TEST(PreEditorTest, StrengthScalesTheEditPerQualityLevel) {
  torch::manual_seed(0);
  PreEditor editor(PreEditorConfig{{8, 16}}, 3);
  torch::NoGradGuard no_grad;
  for (auto& p : editor->named_parameters()) {
    if (p.key().rfind("out.", 0) == 0) p.value().normal_(0.0, 0.1);
    if (p.key() == "level_strength")
      p.value().copy_(torch::tensor({{0.0}, {1.0}, {3.0}}));
  }
  const torch::Tensor x = torch::rand({1, 3, 32, 32}).repeat({5, 1, 1, 1});
  // Levels at q = 0, 0.5, 1; between them the strength is interpolated.
  const torch::Tensor quality = torch::tensor({0.0, 0.25, 0.5, 0.75, 1.0});
  const torch::Tensor edit = editor->forward(x, quality) - x;
  const torch::Tensor residual = editor->Residual(x.slice(0, 0, 1));
  ASSERT_GT(residual.abs().max().item<float>(), 0.0f);
  const std::vector<double> expected_strength = {0.0, 0.5, 1.0, 2.0, 3.0};
  for (int64_t i = 0; i < 5; ++i) {
    EXPECT_TRUE(torch::allclose(edit[i], expected_strength[i] * residual[0],
                                1e-5, 1e-6))
        << "q = " << quality[i].item<double>();
  }
  // Strength 0: exactly the input.
  EXPECT_TRUE(
      torch::equal(editor->forward(x.slice(0, 0, 1), torch::tensor({0.0})),
                   x.slice(0, 0, 1)));
}

TEST(PreEditorTest, ParameterCount) {
  PreEditor editor(PreEditorConfig{}, kQualityLevels);
  // Per 3x3 conv in*out*9 + out. Down: 3->16, 16->16, 16->32, 32->32, 32->64,
  // 64->64. Up (sub-pixel, 4x out): 64->128, 32->64. Merge: 64->32, 32->32,
  // 32->16, 16->16. Out: 16->3. Plus one strength per quality level.
  auto conv = [](int64_t in, int64_t out) { return in * out * 9 + out; };
  const int64_t expected =
      conv(3, 16) + conv(16, 16) + conv(16, 32) + conv(32, 32) + conv(32, 64) +
      conv(64, 64) + conv(64, 128) + conv(32, 64) + conv(64, 32) +
      conv(32, 32) + conv(32, 16) + conv(16, 16) + conv(16, 3) + kQualityLevels;
  EXPECT_EQ(expected, 199529);
  EXPECT_EQ(ParameterCount(*editor), expected);
}

TEST(PreEditorConfigTest, ParseFormatAndValidate) {
  absl::StatusOr<PreEditorConfig> config = ParsePreEditorWidths("8,16,32");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->widths, (std::vector<int64_t>{8, 16, 32}));
  EXPECT_EQ(FormatPreEditorWidths(*config), "8,16,32");
  EXPECT_EQ(FormatPreEditorWidths(PreEditorConfig{}), "16,32,64");
  for (const char* bad :
       {"", "16", "16,x", "16,0,64", "1,2,3,4,5,6,7", "16,32,1024"}) {
    EXPECT_EQ(ParsePreEditorWidths(bad).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
  EXPECT_THROW(PreEditor(PreEditorConfig{{16}}, kQualityLevels), c10::Error);
  EXPECT_THROW(PreEditor(PreEditorConfig{}, 1), c10::Error);
}

}  // namespace
}  // namespace vlmc::codec
