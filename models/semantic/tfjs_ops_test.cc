// Graph interpreter ops against hand-computed TensorFlow results, and the tfjs
// model reader's error handling.
#include <cstring>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "models/semantic/graph_interpreter.h"
#include "models/semantic/tfjs_model.h"

namespace vlmc::semantic {
namespace {

using json = nlohmann::json;

json S(const std::string& s) { return {{"s", absl::Base64Escape(s)}}; }
json Ints(std::vector<int> v) {
  json list = json::array();
  for (int i : v) list.push_back(std::to_string(i));
  return {{"list", {{"i", list}}}};
}
json I(int v) { return {{"i", std::to_string(v)}}; }
json B(bool v) { return {{"b", v}}; }

// A graph with Placeholder "x", constants, and one op node "y".
struct Graph {
  TfjsModel model;

  Graph() { model.nodes.push_back({"x", "Placeholder", {}, json::object()}); }
  Graph& Const(const std::string& name, torch::Tensor value) {
    model.nodes.push_back({name, "Const", {}, json::object()});
    model.weights[name] = value;
    return *this;
  }
  Graph& Op(const std::string& op, std::vector<std::string> inputs,
            json attr = json::object(), const std::string& name = "y") {
    model.nodes.push_back({name, op, std::move(inputs), std::move(attr)});
    return *this;
  }
  torch::Tensor Run(const torch::Tensor& x, const std::string& fetch = "y") {
    absl::StatusOr<GraphInterpreter> g =
        GraphInterpreter::Create(model, torch::kCPU);
    EXPECT_TRUE(g.ok()) << g.status();
    if (!g.ok()) return {};
    absl::StatusOr<std::vector<torch::Tensor>> out =
        g->Run({{"x", x}}, {fetch});
    EXPECT_TRUE(out.ok()) << out.status();
    return out.ok() ? (*out)[0] : torch::Tensor();
  }
  absl::Status RunStatus(const torch::Tensor& x) {
    absl::StatusOr<GraphInterpreter> g =
        GraphInterpreter::Create(model, torch::kCPU);
    if (!g.ok()) return g.status();
    return g->Run({{"x", x}}, {"y"}).status();
  }
};

torch::Tensor F(std::vector<float> v, std::vector<int64_t> shape) {
  return torch::tensor(v).reshape(shape);
}
torch::Tensor Int(std::vector<int> v) { return torch::tensor(v, torch::kInt); }

void ExpectClose(const torch::Tensor& got, const torch::Tensor& want) {
  ASSERT_EQ(got.sizes(), want.sizes());
  EXPECT_TRUE(torch::allclose(got.to(torch::kFloat), want.to(torch::kFloat),
                              1e-5, 1e-5))
      << "got\n"
      << got << "\nwant\n"
      << want;
}

json ConvAttr(const std::string& padding, int stride) {
  return {{"padding", S(padding)},
          {"strides", Ints({1, stride, stride, 1})},
          {"data_format", S("NHWC")}};
}

// 4x4 input 1..16, 3x3 box filter, stride 2, SAME: TF pads 0 before and 1
// after (out = ceil(4/2) = 2, total pad 1), so the top-left window is rows
// and columns 0..2 (sum 54); torch's symmetric padding would give 14.
TEST(TfjsOpsTest, SamePaddingIsAsymmetricOnStride2) {
  Graph g;
  g.Const("w", torch::ones({3, 3, 1, 1}))
      .Op("Conv2D", {"x", "w"}, ConvAttr("SAME", 2));
  torch::Tensor x = torch::arange(1, 17, torch::kFloat).reshape({1, 4, 4, 1});
  ExpectClose(g.Run(x), F({54, 45, 72, 54}, {1, 2, 2, 1}));
}

TEST(TfjsOpsTest, ValidAndExplicitPadding) {
  torch::Tensor x = torch::arange(1, 17, torch::kFloat).reshape({1, 4, 4, 1});
  Graph valid;
  valid.Const("w", torch::ones({3, 3, 1, 1}))
      .Op("Conv2D", {"x", "w"}, ConvAttr("VALID", 1));
  ExpectClose(valid.Run(x), F({54, 63, 90, 99}, {1, 2, 2, 1}));

  // Explicit: 1 row on top only, nothing else; 1x1 filter of 2.
  json attr = ConvAttr("EXPLICIT", 1);
  attr["explicit_paddings"] = Ints({0, 0, 1, 0, 0, 0, 0, 0});
  Graph expl;
  expl.Const("w", torch::full({1, 1, 1, 1}, 2.0f))
      .Op("Conv2D", {"x", "w"}, attr);
  torch::Tensor y = expl.Run(x);
  ASSERT_EQ(y.sizes(), (std::vector<int64_t>{1, 5, 4, 1}));
  EXPECT_EQ(y[0][0][0][0].item<float>(), 0.0f);
  EXPECT_EQ(y[0][1][0][0].item<float>(), 2.0f);
}

// Channel multiplier 2: output channel c * 2 + m = x[c] * w[c][m].
TEST(TfjsOpsTest, DepthwiseChannelOrder) {
  Graph g;
  g.Const("w", F({1, 10, 100, 1000}, {1, 1, 2, 2}))
      .Op("DepthwiseConv2dNative", {"x", "w"}, ConvAttr("VALID", 1));
  ExpectClose(g.Run(F({2, 3}, {1, 1, 1, 2})),
              F({2, 20, 300, 3000}, {1, 1, 1, 4}));
}

// 3x3 depthwise, SAME, stride 2 on a 4x4 single channel with a weight on the
// bottom-right tap only. TF pads only after the end, so window (i, j) starts
// at (2i, 2j) and reads x[2i + 2][2j + 2]: 11 and then padding. (Symmetric
// padding would read x[2i + 1][2j + 1] = 6, 8, 14, 16.)
TEST(TfjsOpsTest, DepthwiseSameStride2) {
  torch::Tensor w = torch::zeros({3, 3, 1, 1});
  w[2][2][0][0] = 1.0f;
  Graph g;
  g.Const("w", w).Op("DepthwiseConv2dNative", {"x", "w"}, ConvAttr("SAME", 2));
  torch::Tensor x = torch::arange(1, 17, torch::kFloat).reshape({1, 4, 4, 1});
  ExpectClose(g.Run(x), F({11, 0, 0, 0}, {1, 2, 2, 1}));
}

TEST(TfjsOpsTest, FusedConvBiasRelu6AndLeakyRelu) {
  json attr = ConvAttr("VALID", 1);
  attr["fused_ops"] = {
      {"list",
       {{"s", {absl::Base64Escape("BiasAdd"), absl::Base64Escape("Relu6")}}}}};
  attr["num_args"] = I(1);
  Graph g;
  g.Const("w", torch::ones({1, 1, 1, 1}))
      .Const("b", F({1}, {1}))
      .Op("_FusedConv2D", {"x", "w", "b"}, attr);
  ExpectClose(g.Run(F({-5, 2, 9}, {1, 1, 3, 1})), F({0, 3, 6}, {1, 1, 3, 1}));

  attr["fused_ops"]["list"]["s"][1] = absl::Base64Escape("LeakyRelu");
  attr["leakyrelu_alpha"] = {{"f", 0.1}};
  Graph leaky;
  leaky.Const("w", torch::ones({1, 1, 1, 1}))
      .Const("b", F({1}, {1}))
      .Op("_FusedConv2D", {"x", "w", "b"}, attr);
  ExpectClose(leaky.Run(F({-5, 2}, {1, 1, 2, 1})), F({-0.4f, 3}, {1, 1, 2, 1}));
}

TEST(TfjsOpsTest, UnsupportedFusedOpIsAnErrorNamingIt) {
  json attr = ConvAttr("VALID", 1);
  attr["fused_ops"] = {
      {"list",
       {{"s", {absl::Base64Escape("BiasAdd"), absl::Base64Escape("Gelu")}}}}};
  attr["num_args"] = I(1);
  Graph g;
  g.Const("w", torch::ones({1, 1, 1, 1}))
      .Const("b", F({1}, {1}))
      .Op("_FusedConv2D", {"x", "w", "b"}, attr);
  absl::Status s = g.RunStatus(torch::ones({1, 1, 1, 1}));
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("Gelu"), std::string::npos) << s;
  EXPECT_NE(s.message().find("_FusedConv2D"), std::string::npos) << s;
}

TEST(TfjsOpsTest, UnsupportedOpAndAttributeAreErrors) {
  Graph op;
  op.Op("Softmax", {"x"});
  absl::Status s = op.RunStatus(torch::ones({1}));
  EXPECT_EQ(s.code(), absl::StatusCode::kUnimplemented);
  EXPECT_NE(s.message().find("Softmax"), std::string::npos) << s;

  json attr = ConvAttr("VALID", 1);
  attr["data_format"] = S("NCHW");
  Graph nchw;
  nchw.Const("w", torch::ones({1, 1, 1, 1})).Op("Conv2D", {"x", "w"}, attr);
  s = nchw.RunStatus(torch::ones({1, 1, 1, 1}));
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("NCHW"), std::string::npos) << s;
  EXPECT_NE(s.message().find("'y'"), std::string::npos) << s;
}

// [0, 10] resized to width 4 under TF's three coordinate conventions.
TEST(TfjsOpsTest, ResizeBilinearConventions) {
  const torch::Tensor x = F({0, 10}, {1, 1, 2, 1});
  auto resize = [&](bool align, bool half) {
    Graph g;
    g.Const("size", Int({1, 4}))
        .Op("ResizeBilinear", {"x", "size"},
            {{"align_corners", B(align)}, {"half_pixel_centers", B(half)}});
    return g.Run(x);
  };
  // Source x = (i + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25 (clamped).
  ExpectClose(resize(false, true), F({0, 2.5, 7.5, 10}, {1, 1, 4, 1}));
  // Legacy: source x = i / 2.
  ExpectClose(resize(false, false), F({0, 5, 10, 10}, {1, 1, 4, 1}));
  // Corners aligned: source x = i / 3.
  ExpectClose(resize(true, false),
              F({0, 10.f / 3, 20.f / 3, 10}, {1, 1, 4, 1}));
}

torch::Tensor StridedSliceOf(const torch::Tensor& x, std::vector<int> begin,
                             std::vector<int> end, std::vector<int> strides,
                             json masks) {
  Graph g;
  g.Const("b", Int(begin)).Const("e", Int(end)).Const("s", Int(strides));
  g.Op("StridedSlice", {"x", "b", "e", "s"}, masks);
  return g.Run(x);
}

TEST(TfjsOpsTest, StridedSliceMasks) {
  const torch::Tensor x = torch::arange(24, torch::kFloat).reshape({2, 3, 4});
  using torch::indexing::Slice;
  // begin/end masks on axis 0 = x[:, 1:3].
  ExpectClose(StridedSliceOf(x, {5, 1}, {0, 3}, {1, 1},
                             {{"begin_mask", I(1)}, {"end_mask", I(1)}}),
              x.index({Slice(), Slice(1, 3)}));
  // shrink axis 0 = x[1].
  ExpectClose(StridedSliceOf(x, {1}, {2}, {1}, {{"shrink_axis_mask", I(1)}}),
              x[1]);
  // Ellipsis then shrink = x[..., 1].
  ExpectClose(
      StridedSliceOf(x, {0, 1}, {0, 2}, {1, 1},
                     {{"ellipsis_mask", I(1)}, {"shrink_axis_mask", I(2)}}),
      x.index({"...", 1}));
  // New axis in front = x[None, 0:1].
  ExpectClose(
      StridedSliceOf(x, {0, 0}, {0, 1}, {1, 1}, {{"new_axis_mask", I(1)}}),
      x.index({Slice(0, 1)}).unsqueeze(0));
  // Negative begin and stride: [0..5][-2:0:-2] = [4, 2].
  ExpectClose(StridedSliceOf(torch::arange(6, torch::kFloat), {-2}, {0}, {-2},
                             json::object()),
              F({4, 2}, {2}));
  // Out-of-range end is clamped: [0..5][3:100] = [3, 4, 5].
  ExpectClose(StridedSliceOf(torch::arange(6, torch::kFloat), {3}, {100}, {1},
                             json::object()),
              F({3, 4, 5}, {3}));
}

// SAME max-pooling pads with -inf (after the end), so padding never wins.
TEST(TfjsOpsTest, MaxPoolSamePadsWithMinusInfinity) {
  Graph g;
  g.Op("MaxPool", {"x"},
       {{"ksize", Ints({1, 2, 2, 1})},
        {"strides", Ints({1, 2, 2, 1})},
        {"padding", S("SAME")}});
  const torch::Tensor x =
      -torch::arange(1, 10, torch::kFloat).reshape({1, 3, 3, 1});
  ExpectClose(g.Run(x), F({-1, -3, -7, -9}, {1, 2, 2, 1}));
}

TEST(TfjsOpsTest, TopKBreaksTiesTowardLowerIndex) {
  Graph g;
  g.Const("k", Int({3}).reshape({}))
      .Op("TopKV2", {"x", "k"}, {{"sorted", B(true)}});
  const torch::Tensor x = F({1, 3, 2, 3, 3}, {1, 5});
  ExpectClose(g.Run(x, "y:0"), F({3, 3, 3}, {1, 3}));
  torch::Tensor idx = g.Run(x, "y:1");
  EXPECT_EQ(idx.scalar_type(), torch::kInt);
  ExpectClose(idx, F({1, 3, 4}, {1, 3}));
}

TEST(TfjsOpsTest, FloorDivAndFloorModFollowTheDivisorSign) {
  Graph div;
  div.Const("d", Int({2})).Op("FloorDiv", {"x", "d"});
  ExpectClose(div.Run(Int({-7, 7})), F({-4, 3}, {2}));
  Graph mod;
  mod.Const("d", Int({2})).Op("FloorMod", {"x", "d"});
  ExpectClose(mod.Run(Int({-7, 7})), F({1, 1}, {2}));
}

TEST(TfjsOpsTest, ShapeOps) {
  const torch::Tensor x = torch::arange(6, torch::kFloat).reshape({1, 2, 3});
  Graph reshape;
  reshape.Const("s", Int({3, -1})).Op("Reshape", {"x", "s"});
  ExpectClose(reshape.Run(x), x.reshape({3, 2}));

  Graph transpose;
  transpose.Const("p", Int({0, 2, 1})).Op("Transpose", {"x", "p"});
  ExpectClose(transpose.Run(x), x.permute({0, 2, 1}));

  Graph split;
  split.Const("sizes", Int({1, -1}))
      .Const("axis", Int({2}).reshape({}))
      .Op("SplitV", {"x", "sizes", "axis"}, {{"num_split", I(2)}});
  ExpectClose(split.Run(x, "y:1"), x.index({"...", torch::indexing::Slice(1)}));

  Graph gather;
  gather.Const("i", Int({2, 0}))
      .Const("axis", Int({-1}).reshape({}))
      .Op("GatherV2", {"x", "i", "axis"});
  ExpectClose(gather.Run(x), F({2, 0, 5, 3}, {1, 2, 2}));

  Graph mean;
  mean.Const("axes", Int({1, 2}))
      .Op("Mean", {"x", "axes"}, {{"keep_dims", B(true)}});
  ExpectClose(mean.Run(x), F({2.5}, {1, 1, 1}));

  Graph pad;
  pad.Const("p", Int({0, 0, 1, 0, 0, 2}).reshape({3, 2}))
      .Const("v", F({-1}, {}))
      .Op("PadV2", {"x", "p", "v"});
  torch::Tensor padded = pad.Run(x);
  ASSERT_EQ(padded.sizes(), (std::vector<int64_t>{1, 3, 5}));
  EXPECT_EQ(padded[0][0][0].item<float>(), -1.0f);
  EXPECT_EQ(padded[0][1][0].item<float>(), 0.0f);
  EXPECT_EQ(padded[0][2][4].item<float>(), -1.0f);

  Graph dense;
  dense.Const("idx", Int({1}).reshape({1, 1}))
      .Const("shape", Int({3}))
      .Const("v", Int({7}))
      .Op("SparseToDense", {"idx", "shape", "v", "x"});
  ExpectClose(dense.Run(Int({4}).reshape({})), F({4, 7, 4}, {3}));
}

TEST(TfjsOpsTest, GradientsReachTheInput) {
  Graph g;
  g.Const("w", torch::ones({3, 3, 1, 1}))
      .Op("Conv2D", {"x", "w"}, ConvAttr("SAME", 2), "c")
      .Op("Relu6", {"c"});
  // Small values keep Relu6 in its linear range.
  torch::Tensor x = (torch::rand({1, 4, 4, 1}) * 0.1).requires_grad_(true);
  g.Run(x).sum().backward();
  ASSERT_TRUE(x.grad().defined());
  // Each input pixel's gradient = how many SAME windows (asymmetric) use it.
  EXPECT_GT(x.grad().abs().sum().item<float>(), 0.0f);
  EXPECT_EQ(x.grad()[0][0][0][0].item<float>(), 1.0f);
  EXPECT_EQ(x.grad()[0][2][2][0].item<float>(), 4.0f);
}

TEST(TfjsOpsTest, RunErrors) {
  Graph g;
  g.Op("Relu", {"x"});
  absl::StatusOr<GraphInterpreter> interp =
      GraphInterpreter::Create(g.model, torch::kCPU);
  ASSERT_TRUE(interp.ok());
  EXPECT_EQ(interp->Run({{"x", torch::ones({1})}}, {"nope"}).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_FALSE(interp->Run({}, {"y"}).ok());  // No feed.

  Graph dangling;
  dangling.Op("Relu", {"missing"});
  EXPECT_FALSE(GraphInterpreter::Create(dangling.model, torch::kCPU).ok());
}

// --- tfjs model reader. ---

std::string ManifestJson(const std::string& weights) {
  return absl::StrCat(
      R"({"format": "graph-model", "modelTopology": {"node": [)",
      R"({"name": "w", "op": "Const"}]}, "weightsManifest": [)",
      R"({"paths": ["m.bin"], "weights": [)", weights, "]}]}");
}

absl::StatusOr<TfjsModel> Parse(const std::string& text,
                                const std::string& bin) {
  return ParseTfjsModel(
      text, [&](const std::string& path) -> absl::StatusOr<std::string> {
        if (path != "m.bin") return absl::NotFoundError(path);
        return bin;
      });
}

std::string Bytes(const void* p, size_t n) {
  return std::string(static_cast<const char*>(p), n);
}

TEST(TfjsModelTest, DecodesFloat16Int32AndUint8) {
  const uint16_t halves[2] = {0x3C00, 0xC000};  // 1.0, -2.0
  const int32_t ints[2] = {-3, 70000};
  const uint8_t q[2] = {0, 255};
  const std::string bin = Bytes(halves, 4) + Bytes(ints, 8) + Bytes(q, 2);
  absl::StatusOr<TfjsModel> m =
      Parse(ManifestJson(
                R"({"name": "w", "shape": [2], "dtype": "float32",
              "quantization": {"dtype": "float16"}},
             {"name": "i", "shape": [1, 2], "dtype": "int32"},
             {"name": "q", "shape": [2], "dtype": "float32",
              "quantization": {"dtype": "uint8", "scale": 0.5, "min": -1}})"),
            bin);
  ASSERT_TRUE(m.ok()) << m.status();
  ExpectClose(m->weights["w"], F({1, -2}, {2}));
  EXPECT_EQ(m->weights["i"].scalar_type(), torch::kInt);
  EXPECT_EQ(m->weights["i"][0][1].item<int>(), 70000);
  ExpectClose(m->weights["q"], F({-1, 126.5}, {2}));
  ASSERT_EQ(m->nodes.size(), 1u);
  EXPECT_EQ(m->nodes[0].op, "Const");
}

TEST(TfjsModelTest, Errors) {
  const std::string w = R"({"name": "w", "shape": [2], "dtype": "float32"})";
  auto message = [](const absl::StatusOr<TfjsModel>& m) {
    return m.ok() ? std::string("ok") : std::string(m.status().message());
  };
  // Malformed JSON.
  EXPECT_NE(message(Parse("{\"modelTopology\": [", "")).find("not valid JSON"),
            std::string::npos);
  // Truncated .bin: 2 floats need 8 bytes.
  EXPECT_NE(
      message(Parse(ManifestJson(w), std::string(5, '\0'))).find("truncated"),
      std::string::npos);
  // Trailing bytes.
  EXPECT_FALSE(Parse(ManifestJson(w), std::string(12, '\0')).ok());
  // Unknown dtype.
  EXPECT_NE(message(Parse(ManifestJson(R"({"name": "w", "shape": [2],
                                           "dtype": "complex64"})"),
                          std::string(16, '\0')))
                .find("complex64"),
            std::string::npos);
  // Unknown quantization.
  EXPECT_NE(message(Parse(ManifestJson(R"({"name": "w", "shape": [2],
      "dtype": "float32", "quantization": {"dtype": "int4"}})"),
                          std::string(8, '\0')))
                .find("int4"),
            std::string::npos);
  // Missing shard.
  std::string no_shard = ManifestJson(w);
  no_shard.replace(no_shard.find("m.bin"), 5, "x.bin");
  EXPECT_EQ(Parse(no_shard, "").status().code(), absl::StatusCode::kNotFound);
  // No topology.
  EXPECT_FALSE(Parse(R"({"weightsManifest": []})", "").ok());
  // A Const without a weight is rejected when the graph is built.
  absl::StatusOr<TfjsModel> no_weight =
      Parse(ManifestJson(R"({"name": "other", "shape": [2],
                             "dtype": "float32"})"),
            std::string(8, '\0'));
  ASSERT_TRUE(no_weight.ok());
  EXPECT_FALSE(GraphInterpreter::Create(*no_weight, torch::kCPU).ok());
}

}  // namespace
}  // namespace vlmc::semantic
