// Parity with TensorFlow.js: the fixtures in tests/data/semantic (recorded by
// tools/tfjs-reference/record-fixtures.js with tfjs' wasm backend, float32)
// hold a graph input image, subsampled raw outputs and the decoded
// detections; this runs the same graph input through our interpreter.
//
// Tolerances (max abs error over the stored samples):
// - heatmaps / class scores (sigmoid outputs in [0, 1]): 1e-3, the issue's
//   bound. Both sides compute in float32 from the same float16-rounded
//   weights; only the order of summation differs, which moves the ~60-layer
//   logits by ~1e-5 relative.
// - CenterNet `wh` (distances in input pixels, up to ~330) and `detections`
//   boxes: 2e-2 px, i.e. ~1e-4 relative to their range; NanoDet distribution
//   logits (range about -8..8): 2e-3.
// - decoded detections (score >= threshold + 0.02, see the fixture README):
//   same class and IoU >= 0.95 in both directions.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "models/image/image_io.h"
#include "models/metrics/detection_metrics.h"
#include "models/semantic/decode.h"
#include "models/semantic/detector.h"
#include "models/semantic/graph_interpreter.h"
#include "models/semantic/preprocess.h"
#include "models/semantic/tfjs_model.h"
#include "models/util/file_io.h"
#include "nlohmann/json.hpp"

namespace vlmc::semantic {
namespace {

using json = nlohmann::json;

const std::string kFixtureDir =
    std::string(VLMC_SOURCE_DIR) + "/tests/data/semantic";

constexpr double kScoreTolerance = 1e-3;
constexpr double kPixelTolerance = 2e-2;
constexpr double kLogitTolerance = 2e-3;

std::vector<std::string> Fixtures() {
  std::vector<std::string> out;
  if (!std::filesystem::is_directory(kFixtureDir)) return out;
  const std::regex name("(centernet|nanodet)_[0-9]+\\.json");
  for (const auto& entry : std::filesystem::directory_iterator(kFixtureDir)) {
    const std::string file = entry.path().filename().string();
    if (std::regex_match(file, name)) out.push_back(entry.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

double Tolerance(const std::string& model, const std::string& output) {
  if (model == "centernet") {
    return output == "tower_0/keypoints" ? kScoreTolerance : kPixelTolerance;
  }
  // NanoDet: Identity..Identity_2 are scores, Identity_3..5 logits.
  const bool logits = output == "Identity_3:0" || output == "Identity_4:0" ||
                      output == "Identity_5:0";
  return logits ? kLogitTolerance : kScoreTolerance;
}

// Every detection of `want` scoring >= min_score has one in `got` of the same
// class with IoU >= 0.95.
void ExpectCovered(const std::vector<Detection>& want,
                   const std::vector<Detection>& got, float min_score,
                   const std::string& what) {
  for (const Detection& w : want) {
    if (w.score < min_score) continue;
    const bool found = std::any_of(got.begin(), got.end(), [&](auto& g) {
      return g.class_id == w.class_id && metrics::BoxIou(g, w) >= 0.95f;
    });
    EXPECT_TRUE(found) << what << ": class " << w.class_id << " score "
                       << w.score << " box [" << w.x0 << ", " << w.y0 << ", "
                       << w.x1 << ", " << w.y1 << "] unmatched";
  }
}

class ParityTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ParityTest, MatchesTensorFlowJs) {
  std::ifstream in(GetParam());
  const json fx = json::parse(in);
  const std::string model_name = fx.at("model").get<std::string>();
  const std::string dir = DefaultSemanticModelDir();
  const std::string json_path = dir + "/" + model_name + ".json";
  if (!std::filesystem::exists(json_path)) {
    GTEST_SKIP() << json_path << " missing: run scripts/fetch-models.sh";
  }
  for (const char* part : {"json", "bin"}) {
    absl::StatusOr<util::Sha256Digest> digest =
        util::Sha256File(absl::StrCat(dir, "/", model_name, ".", part));
    ASSERT_TRUE(digest.ok()) << digest.status();
    ASSERT_EQ(util::ToHex(*digest), fx["model_sha256"][part].get<std::string>())
        << "the fixture was recorded with other " << model_name << " weights";
  }
  absl::StatusOr<TfjsModel> model = LoadTfjsModel(json_path);
  ASSERT_TRUE(model.ok()) << model.status();
  absl::StatusOr<GraphInterpreter> graph =
      GraphInterpreter::Create(std::move(*model), torch::kCPU);
  ASSERT_TRUE(graph.ok()) << graph.status();

  // The input exactly as the fixture README prescribes.
  const json& spec = fx["input"];
  absl::StatusOr<image::Image> png = image::ReadImageFile(
      kFixtureDir + "/" + fx["input_png"].get<std::string>());
  ASSERT_TRUE(png.ok()) << png.status();
  torch::Tensor x = ImageToTensor(*png, torch::kCPU);  // [1, 3, H, W] RGB
  if (spec["channel_order"] == "BGR") x = x.flip(1);
  const auto mean = spec["mean"].get<std::vector<float>>();
  const auto std = spec["std"].get<std::vector<float>>();
  x = (x - torch::tensor(mean).view({1, 3, 1, 1})) /
      torch::tensor(std).view({1, 3, 1, 1});
  if (spec["layout"] == "NHWC") x = x.permute({0, 2, 3, 1});
  ASSERT_EQ(x.sizes(), spec["shape"].get<std::vector<int64_t>>());

  std::vector<std::string> names;
  for (const json& o : fx["outputs"]) names.push_back(o["name"]);
  torch::NoGradGuard no_grad;
  absl::StatusOr<std::vector<torch::Tensor>> outs =
      graph->Run({{spec["name"].get<std::string>(), x}}, names);
  ASSERT_TRUE(outs.ok()) << outs.status();

  absl::StatusOr<std::string> data =
      util::ReadFile(kFixtureDir + "/" + fx["data_file"].get<std::string>());
  ASSERT_TRUE(data.ok()) << data.status();
  std::map<std::string, torch::Tensor> by_name;
  for (size_t i = 0; i < names.size(); ++i) {
    const json& o = fx["outputs"][i];
    const torch::Tensor& out = (*outs)[i];
    by_name[names[i]] = out;
    ASSERT_EQ(out.sizes(), o["shape"].get<std::vector<int64_t>>()) << names[i];
    if (names[i] == "tower_0/detections") continue;  // Compared below.
    const auto view = o["view_shape"].get<std::vector<int64_t>>();
    const auto step = o["step"].get<std::vector<int64_t>>();
    torch::Tensor sampled = out.reshape(view);
    for (size_t k = 0; k < view.size(); ++k) {
      sampled = sampled.slice(k, 0, view[k], step[k]);
    }
    sampled = sampled.contiguous();
    const int64_t count = o["count"].get<int64_t>();
    const size_t offset = o["byte_offset"].get<size_t>();
    ASSERT_EQ(sampled.numel(), count) << names[i];
    ASSERT_LE(offset + count * 4, data->size()) << names[i];
    torch::Tensor want = torch::empty({count}, torch::kFloat);
    std::memcpy(want.data_ptr(), data->data() + offset, count * 4);
    const double err = (sampled.flatten() - want).abs().max().item<double>();
    const double tol = Tolerance(model_name, names[i]);
    EXPECT_LE(err, tol) << names[i] << " max abs error";
    std::printf("[ parity ] %s %s max abs error %.3g (tolerance %.0e)\n",
                fx["source_image"].get<std::string>().c_str(), names[i].c_str(),
                err, tol);
  }

  // Decoded detections, in the pixels of the fixture input.
  const float threshold = fx["score_threshold"].get<float>();
  std::vector<Detection> ours;
  if (model_name == "centernet") {
    const torch::Tensor rows = by_name.at("tower_0/detections")[0];
    ours = DecodeCenterNet(rows, threshold, png->width, png->height);
    // Raw rows: each reference peak clearly above the 100th (so not liable
    // to swap with a neighbour) has a row of ours with the same class and
    // the same box and score.
    const json& o = fx["outputs"][names.size() - 1];
    torch::Tensor want = torch::empty({100, 6}, torch::kFloat);
    std::memcpy(want.data_ptr(), data->data() + o["byte_offset"].get<size_t>(),
                600 * 4);
    const float cutoff = want.select(1, 4).min().item<float>() + 1e-3f;
    for (int64_t r = 0; r < 100; ++r) {
      if (want[r][4].item<float>() <= cutoff) continue;
      const torch::Tensor same_class = rows.select(1, 5) == want[r][5];
      const torch::Tensor diff = (rows - want[r]).abs();
      const torch::Tensor close =
          same_class & (diff.select(1, 4) <= kScoreTolerance) &
          (std::get<0>(diff.slice(1, 0, 4).max(1)) <= kPixelTolerance);
      EXPECT_TRUE(close.any().item<bool>())
          << "reference row " << r << " " << want[r] << " unmatched";
    }
  } else {
    const json& d = fx["decode"];
    GflConfig config;
    config.strides = d["strides"].get<std::vector<int>>();
    config.reg_max = d["reg_max"].get<int>();
    config.nms_iou = d["nms_iou"].get<float>();
    config.max_detections = d["max_detections"].get<size_t>();
    config.input_w = png->width;
    config.input_h = png->height;
    std::vector<torch::Tensor> scores, dists;
    for (const json& n : d["scores"]) scores.push_back(by_name.at(n)[0]);
    for (const json& n : d["distributions"]) dists.push_back(by_name.at(n)[0]);
    absl::StatusOr<std::vector<Detection>> decoded =
        DecodeGfl(scores, dists, threshold, config);
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    ours = *decoded;
  }
  std::vector<Detection> theirs;
  for (const json& j : fx["detections"]) {
    Detection d;
    d.class_id = j["class_id"];
    d.score = j["score"];
    d.x0 = j["box"][0];
    d.y0 = j["box"][1];
    d.x1 = j["box"][2];
    d.y1 = j["box"][3];
    theirs.push_back(d);
  }
  EXPECT_FALSE(theirs.empty()) << "fixture without detections";
  ExpectCovered(theirs, ours, threshold + 0.02f, "tfjs detection");
  ExpectCovered(ours, theirs, threshold + 0.02f, "our detection");
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, ParityTest, ::testing::ValuesIn(Fixtures()),
    [](const ::testing::TestParamInfo<std::string>& info) {
      std::string name = std::filesystem::path(info.param).stem().string();
      return name;
    });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(ParityTest);

TEST(ParityFixturesTest, FixturesArePresent) {
  EXPECT_GE(Fixtures().size(), 2u) << "no parity fixtures in " << kFixtureDir;
}

}  // namespace
}  // namespace vlmc::semantic
