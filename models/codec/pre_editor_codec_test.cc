// The pre-editor inside the codec model: config metadata, weights, export,
// and its effect on Compress; models without one are unchanged.
#include <gtest/gtest.h>

#include <cmath>

#include "absl/strings/match.h"
#include "models/codec/checkpoint.h"
#include "models/codec/codec.h"
#include "models/codec/codec_config.h"
#include "models/codec/hyperprior_network.h"

namespace vlmc::codec {
namespace {

CodecConfig TinyConfig(std::vector<int64_t> pre_editor_widths) {
  CodecConfig config;
  config.channels_n = 8;
  config.channels_m = 8;
  config.pre_editor_widths = std::move(pre_editor_widths);
  return config;
}

// A model file of a seeded tiny network; `edit` makes the editor non-zero.
std::unique_ptr<Codec> TinyCodec(const std::vector<int64_t>& widths,
                                 bool edit = false) {
  torch::manual_seed(0);
  const CodecConfig config = TinyConfig(widths);
  HyperpriorNetwork network(config);
  torch::NoGradGuard no_grad;
  // An untrained network's latents all round to zero; gains of 50 make them
  // (and the editor's effect on them) visible in the stream.
  auto parameters = network->named_parameters();
  parameters["gains.log_gain"].add_(std::log(50.0));
  parameters["gains.log_inverse_gain"].sub_(std::log(50.0));
  if (edit) parameters["pre_editor.out.weight"].normal_(0.0, 0.2);
  absl::StatusOr<TensorFile> model =
      MakeModelFile(NetworkToTensorFile(network, config, torch::kFloat32),
                    torch::kFloat16, "tiny", 1);
  EXPECT_TRUE(model.ok()) << model.status();
  absl::StatusOr<std::string> bytes = SerializeSafetensors(*model);
  EXPECT_TRUE(bytes.ok());
  absl::StatusOr<std::unique_ptr<Codec>> codec = Codec::FromModelBytes(*bytes);
  EXPECT_TRUE(codec.ok()) << codec.status();
  return *std::move(codec);
}

image::Image TestImage() {
  image::Image img{96, 80, std::vector<uint8_t>(96 * 80 * 3)};
  for (size_t i = 0; i < img.rgb.size(); ++i)
    img.rgb[i] = static_cast<uint8_t>((i * 7 + i / 288 * 3) % 251);
  return img;
}

image::Image RoundTrip(const Codec& codec, const image::Image& img) {
  absl::StatusOr<std::string> stream = codec.Compress(img, 0.5);
  EXPECT_TRUE(stream.ok()) << stream.status();
  absl::StatusOr<image::Image> out = codec.Decompress(*stream);
  EXPECT_TRUE(out.ok()) << out.status();
  return *std::move(out);
}

TEST(PreEditorCodecTest, ConfigMetadataRoundTripsAndIsAbsentWithout) {
  const CodecConfig with = TinyConfig({8, 16, 32});
  EXPECT_EQ(with.ToMetadata().at("pre_editor_widths"), "8,16,32");
  absl::StatusOr<CodecConfig> parsed =
      CodecConfig::FromMetadata(with.ToMetadata());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->pre_editor_widths, (std::vector<int64_t>{8, 16, 32}));

  const CodecConfig without = TinyConfig({});
  EXPECT_EQ(without.ToMetadata().count("pre_editor_widths"), 0u);
  parsed = CodecConfig::FromMetadata(without.ToMetadata());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->pre_editor_widths.empty());

  std::map<std::string, std::string> bad = with.ToMetadata();
  bad["pre_editor_widths"] = "8";  // one level
  EXPECT_EQ(CodecConfig::FromMetadata(bad).status().code(),
            absl::StatusCode::kDataLoss);
}

TEST(PreEditorCodecTest, ModelFileCarriesTheEditorWeights) {
  torch::manual_seed(0);
  const CodecConfig config = TinyConfig({4, 8});
  HyperpriorNetwork network(config);
  absl::StatusOr<TensorFile> model =
      MakeModelFile(NetworkToTensorFile(network, config, torch::kFloat32),
                    torch::kFloat16, "tiny", 1);
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_EQ(model->metadata.at("pre_editor_widths"), "4,8");
  int editor_tensors = 0;
  for (const auto& [name, tensor] : model->tensors) {
    if (absl::StartsWith(name, kPreEditorPrefix)) ++editor_tensors;
  }
  EXPECT_EQ(editor_tensors,
            static_cast<int>(network->pre_editor()->parameters().size()));

  // A network without an editor refuses the file; one with an editor
  // accepts a file without only as a fresh (identity) editor.
  HyperpriorNetwork plain(TinyConfig({}));
  EXPECT_FALSE(LoadNetworkWeights(*model, plain).ok());
  const TensorFile plain_file =
      NetworkToTensorFile(plain, TinyConfig({}), torch::kFloat32);
  HyperpriorNetwork edited(config);
  EXPECT_FALSE(LoadNetworkWeights(plain_file, edited).ok());
  EXPECT_TRUE(
      LoadNetworkWeights(plain_file, edited, /*fresh_pre_editor=*/true).ok());
}

TEST(PreEditorCodecTest, IdentityEditorCodesLikeNoEditorAndTrainedOneEdits) {
  const image::Image img = TestImage();
  const std::unique_ptr<Codec> plain = TinyCodec({});
  const std::unique_ptr<Codec> identity = TinyCodec({4, 8});
  const std::unique_ptr<Codec> edited = TinyCodec({4, 8}, /*edit=*/true);
  EXPECT_EQ(identity->config().pre_editor_widths, (std::vector<int64_t>{4, 8}));
  // The weights hash (in every stream) tells the models apart.
  EXPECT_NE(identity->weights_hash(), plain->weights_hash());
  EXPECT_NE(identity->weights_hash(), edited->weights_hash());

  const image::Image from_plain = RoundTrip(*plain, img);
  const image::Image from_identity = RoundTrip(*identity, img);
  const image::Image from_edited = RoundTrip(*edited, img);
  EXPECT_EQ(from_identity.rgb, from_plain.rgb);
  EXPECT_NE(from_edited.rgb, from_plain.rgb);
  EXPECT_EQ(from_edited.width, img.width);
  EXPECT_EQ(from_edited.height, img.height);
}

// A pre-editor's edit depends on the quality, so its analysis is not reused:
// each quality of an AnalyzedImage still codes as Compress does.
TEST(PreEditorCodecTest, AnalyzedImageRedoesTheEditedAnalysisPerQuality) {
  const image::Image img = TestImage();
  const std::unique_ptr<Codec> edited = TinyCodec({4, 8}, /*edit=*/true);
  const absl::StatusOr<AnalyzedImage> analyzed = edited->Analyze(img);
  ASSERT_TRUE(analyzed.ok()) << analyzed.status();
  EXPECT_FALSE(analyzed->ungained.defined());
  for (double quality : {0.0, 0.5, 1.0}) {
    const absl::StatusOr<std::string> reused =
        edited->CompressAnalyzed(*analyzed, quality);
    ASSERT_TRUE(reused.ok()) << reused.status();
    EXPECT_EQ(*reused, *edited->Compress(img, quality)) << quality;
  }
}

}  // namespace
}  // namespace vlmc::codec
