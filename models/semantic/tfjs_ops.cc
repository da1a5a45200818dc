// TensorFlow op semantics on LibTorch tensors. Tensors keep TF's logical
// layout (NHWC for images); convolutions and pooling run on NCHW views.
#include "models/semantic/tfjs_ops.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace vlmc::semantic::ops {
namespace {

using torch::Tensor;
using Tensors = std::vector<Tensor>;
using json = nlohmann::json;

[[noreturn]] void Fail(const std::string& message) { throw OpError(message); }

void Check(bool ok, const std::string& message) {
  if (!ok) Fail(message);
}

// --- Attribute access (AttrValue JSON as written by the tfjs converter). ---

const json* Attr(const TfjsNode& node, const char* key) {
  if (!node.attr.is_object() || !node.attr.contains(key)) return nullptr;
  return &node.attr[key];
}

int64_t JsonInt(const json& v) {
  return v.is_string() ? std::stoll(v.get<std::string>()) : v.get<int64_t>();
}

std::string AttrString(const TfjsNode& node, const char* key,
                       const std::string& fallback) {
  const json* a = Attr(node, key);
  if (a == nullptr || !a->contains("s")) return fallback;
  std::string decoded;
  Check(absl::Base64Unescape((*a)["s"].get<std::string>(), &decoded),
        absl::StrCat("attribute ", key, " is not base64"));
  return decoded;
}

int64_t AttrInt(const TfjsNode& node, const char* key, int64_t fallback) {
  const json* a = Attr(node, key);
  if (a == nullptr || !a->contains("i")) return fallback;
  return JsonInt((*a)["i"]);
}

float AttrFloat(const TfjsNode& node, const char* key, float fallback) {
  const json* a = Attr(node, key);
  if (a == nullptr || !a->contains("f")) return fallback;
  return (*a)["f"].get<float>();
}

bool AttrBool(const TfjsNode& node, const char* key, bool fallback) {
  const json* a = Attr(node, key);
  if (a == nullptr || !a->contains("b")) return fallback;
  return (*a)["b"].get<bool>();
}

std::string AttrType(const TfjsNode& node, const char* key) {
  const json* a = Attr(node, key);
  if (a == nullptr || !a->contains("type")) return "";
  return (*a)["type"].get<std::string>();
}

std::vector<int64_t> AttrInts(const TfjsNode& node, const char* key) {
  std::vector<int64_t> out;
  const json* a = Attr(node, key);
  if (a == nullptr || !a->contains("list") || !(*a)["list"].contains("i")) {
    return out;
  }
  for (const json& v : (*a)["list"]["i"]) out.push_back(JsonInt(v));
  return out;
}

std::vector<std::string> AttrStrings(const TfjsNode& node, const char* key) {
  std::vector<std::string> out;
  const json* a = Attr(node, key);
  if (a == nullptr || !a->contains("list") || !(*a)["list"].contains("s")) {
    return out;
  }
  for (const json& v : (*a)["list"]["s"]) {
    std::string decoded;
    Check(absl::Base64Unescape(v.get<std::string>(), &decoded),
          absl::StrCat("attribute ", key, " is not base64"));
    out.push_back(decoded);
  }
  return out;
}

// Values of a small integer tensor (shapes, axes, sizes), read on the host.
std::vector<int64_t> HostInts(const Tensor& t) {
  Tensor c = t.to(torch::kCPU).to(torch::kLong).contiguous().flatten();
  return std::vector<int64_t>(c.data_ptr<int64_t>(),
                              c.data_ptr<int64_t>() + c.numel());
}

int64_t HostInt(const Tensor& t) {
  Check(t.numel() == 1, "expected a scalar");
  return HostInts(t)[0];
}

int64_t NormAxis(int64_t axis, int64_t rank) {
  const int64_t a = axis < 0 ? axis + rank : axis;
  Check(a >= 0 && a < rank,
        absl::StrCat("axis ", axis, " out of range for rank ", rank));
  return a;
}

void ExpectInputs(const Tensors& in, size_t n) {
  Check(in.size() == n,
        absl::StrCat("expected ", n, " inputs, got ", in.size()));
}

torch::ScalarType TfDtype(const std::string& type) {
  if (type == "DT_FLOAT") return torch::kFloat;
  if (type == "DT_INT32") return torch::kInt;
  if (type == "DT_INT64") return torch::kLong;
  if (type == "DT_BOOL") return torch::kBool;
  Fail(absl::StrCat("unsupported dtype ", type));
}

// --- Spatial ops. ---

void RequireNhwc(const TfjsNode& node) {
  const std::string format = AttrString(node, "data_format", "NHWC");
  Check(format == "NHWC",
        absl::StrCat("data_format ", format, " is not supported (only NHWC)"));
}

// [1, h, w, 1] from a 4-vector attribute, default 1s.
std::pair<int64_t, int64_t> Spatial(const TfjsNode& node, const char* key) {
  std::vector<int64_t> v = AttrInts(node, key);
  if (v.empty()) return {1, 1};
  Check(v.size() == 4 && v[0] == 1 && v[3] == 1,
        absl::StrCat(key, " must be [1, h, w, 1], got [", absl::StrJoin(v, ","),
                     "]"));
  return {v[1], v[2]};
}

struct Pads {
  int64_t top = 0, bottom = 0, left = 0, right = 0;
};

// TF "SAME": output = ceil(in / stride); the odd pixel of padding goes to the
// end (bottom/right), unlike torch's symmetric padding.
std::pair<int64_t, int64_t> SamePad(int64_t in, int64_t k, int64_t stride,
                                    int64_t dilation) {
  const int64_t out = (in + stride - 1) / stride;
  const int64_t eff_k = (k - 1) * dilation + 1;
  const int64_t total = std::max<int64_t>((out - 1) * stride + eff_k - in, 0);
  return {total / 2, total - total / 2};
}

Pads ComputePads(const TfjsNode& node, int64_t in_h, int64_t in_w, int64_t kh,
                 int64_t kw, std::pair<int64_t, int64_t> stride,
                 std::pair<int64_t, int64_t> dilation) {
  const std::string padding = AttrString(node, "padding", "");
  Pads p;
  if (padding == "VALID") return p;
  if (padding == "SAME") {
    std::tie(p.top, p.bottom) = SamePad(in_h, kh, stride.first, dilation.first);
    std::tie(p.left, p.right) =
        SamePad(in_w, kw, stride.second, dilation.second);
    return p;
  }
  if (padding == "EXPLICIT") {
    std::vector<int64_t> e = AttrInts(node, "explicit_paddings");
    Check(e.size() == 8 && e[0] == 0 && e[1] == 0 && e[6] == 0 && e[7] == 0,
          "explicit_paddings must pad only H and W (8 values, NHWC)");
    p.top = e[2];
    p.bottom = e[3];
    p.left = e[4];
    p.right = e[5];
    return p;
  }
  Fail(absl::StrCat("padding '", padding, "' is not supported"));
}

// NCHW view -> padded NCHW (only where TF's padding is not symmetric).
Tensor PadNchw(const Tensor& x, const Pads& p, double value) {
  return torch::constant_pad_nd(x, {p.left, p.right, p.top, p.bottom}, value);
}

Tensor ConvCore(const TfjsNode& node, const Tensor& x, const Tensor& filter,
                bool depthwise) {
  RequireNhwc(node);
  Check(x.dim() == 4 && filter.dim() == 4,
        "convolution needs a 4-D input and a 4-D filter");
  const auto stride = Spatial(node, "strides");
  const auto dilation = Spatial(node, "dilations");
  const int64_t kh = filter.size(0), kw = filter.size(1);
  const int64_t in_c = x.size(3);
  Tensor weight;
  int64_t groups = 1;
  if (depthwise) {
    // TF [kh, kw, in, mult] -> torch [in * mult, 1, kh, kw]; output channel
    // c * mult + m, as in TF.
    Check(filter.size(2) == in_c, "depthwise filter channels != input");
    weight = filter.permute({2, 3, 0, 1})
                 .reshape({in_c * filter.size(3), 1, kh, kw});
    groups = in_c;
  } else {
    // TF [kh, kw, in / groups, out] -> torch [out, in / groups, kh, kw].
    Check(in_c % filter.size(2) == 0,
          absl::StrCat("input channels ", in_c, " not a multiple of filter's ",
                       filter.size(2)));
    groups = in_c / filter.size(2);
    weight = filter.permute({3, 2, 0, 1});
  }
  Tensor nchw = x.permute({0, 3, 1, 2});
  const Pads p =
      ComputePads(node, x.size(1), x.size(2), kh, kw, stride, dilation);
  std::vector<int64_t> torch_pad = {0, 0};
  if (p.top == p.bottom && p.left == p.right) {
    torch_pad = {p.top, p.left};
  } else {
    nchw = PadNchw(nchw, p, 0.0);
  }
  Tensor y = torch::conv2d(nchw, weight.contiguous(), {},
                           {stride.first, stride.second}, torch_pad,
                           {dilation.first, dilation.second}, groups);
  return y.permute({0, 2, 3, 1});
}

// The epilogue of _FusedConv2D / FusedDepthwiseConv2dNative: BiasAdd or
// FusedBatchNorm, then an optional activation.
Tensor ApplyFusedOps(const TfjsNode& node, Tensor y, const Tensors& in) {
  const std::vector<std::string> fused = AttrStrings(node, "fused_ops");
  const int64_t num_args = AttrInt(node, "num_args", in.size() - 2);
  Check(static_cast<int64_t>(in.size()) == 2 + num_args,
        absl::StrCat("num_args ", num_args, " but ", in.size() - 2,
                     " extra inputs"));
  Check(!fused.empty(), "fused_ops is empty");
  size_t used = 0;
  auto arg = [&](size_t i) -> const Tensor& {
    Check(2 + i < in.size(), "too few arguments for fused_ops");
    used = std::max(used, i + 1);
    return in[2 + i];
  };
  size_t k = 0;
  if (fused[0] == "BiasAdd") {
    y = y + arg(0);
    k = 1;
  } else if (fused[0] == "FusedBatchNorm") {
    const float eps = AttrFloat(node, "epsilon", 1e-4f);
    const Tensor scale = arg(0) * torch::rsqrt(arg(3) + eps);
    y = (y - arg(2)) * scale + arg(1);
    k = 1;
  }
  for (; k < fused.size(); ++k) {
    const std::string& op = fused[k];
    if (op == "Relu") {
      y = torch::relu(y);
    } else if (op == "Relu6") {
      y = torch::clamp(y, 0.0, 6.0);
    } else if (op == "Elu") {
      y = torch::elu(y);
    } else if (op == "Sigmoid") {
      y = torch::sigmoid(y);
    } else if (op == "LeakyRelu") {
      y = torch::leaky_relu(y, AttrFloat(node, "leakyrelu_alpha", 0.2f));
    } else if (op == "Prelu") {
      const Tensor& alpha = arg(used);
      y = torch::where(y >= 0, y, y * alpha);
    } else {
      Fail(absl::StrCat("fused op '", op, "' is not supported (fused_ops: ",
                        absl::StrJoin(fused, ","), ")"));
    }
  }
  Check(static_cast<int64_t>(used) == num_args,
        absl::StrCat("fused_ops [", absl::StrJoin(fused, ","), "] use ", used,
                     " arguments but num_args is ", num_args));
  return y;
}

Tensors Conv2D(const TfjsNode& node, const Tensors& in) {
  ExpectInputs(in, 2);
  return {ConvCore(node, in[0], in[1], /*depthwise=*/false)};
}

Tensors FusedConv2D(const TfjsNode& node, const Tensors& in) {
  Check(in.size() >= 2, "expected input and filter");
  return {ApplyFusedOps(node, ConvCore(node, in[0], in[1], false), in)};
}

Tensors Depthwise(const TfjsNode& node, const Tensors& in) {
  ExpectInputs(in, 2);
  return {ConvCore(node, in[0], in[1], /*depthwise=*/true)};
}

Tensors FusedDepthwise(const TfjsNode& node, const Tensors& in) {
  Check(in.size() >= 2, "expected input and filter");
  return {ApplyFusedOps(node, ConvCore(node, in[0], in[1], true), in)};
}

Tensors MaxPool(const TfjsNode& node, const Tensors& in) {
  ExpectInputs(in, 1);
  RequireNhwc(node);
  const auto k = Spatial(node, "ksize");
  const auto stride = Spatial(node, "strides");
  const Tensor& x = in[0];
  const Pads p = ComputePads(node, x.size(1), x.size(2), k.first, k.second,
                             stride, {1, 1});
  // Padded cells never win the max, as in TF.
  Tensor nchw = PadNchw(x.permute({0, 3, 1, 2}), p,
                        -std::numeric_limits<double>::infinity());
  Tensor y = torch::max_pool2d(nchw, {k.first, k.second},
                               {stride.first, stride.second});
  return {y.permute({0, 2, 3, 1})};
}

// One axis of TF's ResizeBilinear: source indices and interpolation weight
// per output index (tensorflow/core/kernels/image/resize_bilinear_op.cc,
// identical in tfjs).
struct AxisWeights {
  Tensor lower, upper, lerp;
};

AxisWeights ResizeAxis(int64_t in, int64_t out, bool align_corners,
                       bool half_pixel, const torch::Device& device) {
  const float scale = (align_corners && out > 1)
                          ? static_cast<float>(in - 1) / (out - 1)
                          : static_cast<float>(in) / out;
  std::vector<int64_t> lower(out), upper(out);
  std::vector<float> lerp(out);
  for (int64_t i = 0; i < out; ++i) {
    const float src =
        half_pixel ? (static_cast<float>(i) + 0.5f) * scale - 0.5f : i * scale;
    const float f = std::floor(src);
    lower[i] = std::max<int64_t>(static_cast<int64_t>(f), 0);
    upper[i] = std::min<int64_t>(static_cast<int64_t>(std::ceil(src)), in - 1);
    lerp[i] = src - f;
  }
  auto longs = [&](std::vector<int64_t>& v) {
    return torch::tensor(v, torch::kLong).to(device);
  };
  return {longs(lower), longs(upper), torch::tensor(lerp).to(device)};
}

Tensors ResizeBilinear(const TfjsNode& node, const Tensors& in) {
  ExpectInputs(in, 2);
  const Tensor& x = in[0];
  Check(x.dim() == 4, "ResizeBilinear needs NHWC input");
  const std::vector<int64_t> size = HostInts(in[1]);
  Check(size.size() == 2 && size[0] > 0 && size[1] > 0, "bad size input");
  const bool align = AttrBool(node, "align_corners", false);
  const bool half = AttrBool(node, "half_pixel_centers", false);
  Check(!(align && half), "align_corners and half_pixel_centers both set");
  const AxisWeights ry =
      ResizeAxis(x.size(1), size[0], align, half, x.device());
  const AxisWeights rx =
      ResizeAxis(x.size(2), size[1], align, half, x.device());
  const Tensor xf = x.to(torch::kFloat);
  const Tensor top_rows = xf.index_select(1, ry.lower);
  const Tensor bottom_rows = xf.index_select(1, ry.upper);
  const Tensor wx = rx.lerp.view({1, 1, -1, 1});
  auto lerp_x = [&](const Tensor& rows) {
    const Tensor l = rows.index_select(2, rx.lower);
    const Tensor r = rows.index_select(2, rx.upper);
    return l + (r - l) * wx;
  };
  const Tensor top = lerp_x(top_rows);
  const Tensor bottom = lerp_x(bottom_rows);
  return {top + (bottom - top) * ry.lerp.view({1, -1, 1, 1})};
}

// --- Element-wise ops. ---

Tensors Binary(const Tensors& in, Tensor (*f)(const Tensor&, const Tensor&)) {
  ExpectInputs(in, 2);
  return {f(in[0], in[1])};
}

Tensor AddFn(const Tensor& a, const Tensor& b) { return a + b; }
Tensor SubFn(const Tensor& a, const Tensor& b) { return a - b; }
Tensor MulFn(const Tensor& a, const Tensor& b) { return a * b; }
Tensor EqualFn(const Tensor& a, const Tensor& b) { return torch::eq(a, b); }
Tensor FloorDivFn(const Tensor& a, const Tensor& b) {
  if (a.is_floating_point() || b.is_floating_point()) {
    return torch::floor(a / b);
  }
  return torch::div(a, b, "floor");
}
Tensor FloorModFn(const Tensor& a, const Tensor& b) {
  return torch::remainder(a, b);  // Sign of the divisor, as TF's FloorMod.
}

Tensors Unary(const Tensors& in, Tensor (*f)(const Tensor&)) {
  ExpectInputs(in, 1);
  return {f(in[0])};
}

Tensor ReluFn(const Tensor& x) { return torch::relu(x); }
Tensor Relu6Fn(const Tensor& x) { return torch::clamp(x, 0.0, 6.0); }
Tensor SigmoidFn(const Tensor& x) { return torch::sigmoid(x); }
Tensor IdentityFn(const Tensor& x) { return x; }

Tensors LeakyRelu(const TfjsNode& node, const Tensors& in) {
  ExpectInputs(in, 1);
  return {torch::leaky_relu(in[0], AttrFloat(node, "alpha", 0.2f))};
}

Tensors Cast(const TfjsNode& node, const Tensors& in) {
  ExpectInputs(in, 1);
  Check(!AttrBool(node, "Truncate", false), "Truncate=true is not supported");
  // Float -> int truncates toward zero in both TF and torch.
  return {in[0].to(TfDtype(AttrType(node, "DstT")))};
}

// --- Shape ops. ---

Tensors Reshape(const TfjsNode&, const Tensors& in) {
  ExpectInputs(in, 2);
  return {in[0].reshape(HostInts(in[1]))};
}

Tensors ExpandDims(const TfjsNode&, const Tensors& in) {
  ExpectInputs(in, 2);
  const int64_t rank = in[0].dim();
  int64_t d = HostInt(in[1]);
  if (d < 0) d += rank + 1;
  Check(d >= 0 && d <= rank, "ExpandDims axis out of range");
  return {in[0].unsqueeze(d)};
}

Tensors Transpose(const TfjsNode&, const Tensors& in) {
  ExpectInputs(in, 2);
  return {in[0].permute(HostInts(in[1]))};
}

Tensors ConcatV2(const TfjsNode& node, const Tensors& in) {
  Check(in.size() >= 2, "ConcatV2 needs values and an axis");
  const int64_t n = AttrInt(node, "N", in.size() - 1);
  Check(n == static_cast<int64_t>(in.size()) - 1, "N != number of values");
  Tensors values(in.begin(), in.end() - 1);
  return {torch::cat(values, NormAxis(HostInt(in.back()), values[0].dim()))};
}

Tensors Mean(const TfjsNode& node, const Tensors& in) {
  ExpectInputs(in, 2);
  std::vector<int64_t> axes = HostInts(in[1]);
  for (int64_t& a : axes) a = NormAxis(a, in[0].dim());
  return {in[0].mean(axes, AttrBool(node, "keep_dims", false))};
}

Tensors SplitV(const TfjsNode& node, const Tensors& in) {
  ExpectInputs(in, 3);
  const Tensor& x = in[0];
  const int64_t axis = NormAxis(HostInt(in[2]), x.dim());
  std::vector<int64_t> sizes = HostInts(in[1]);
  Check(static_cast<int64_t>(sizes.size()) ==
            AttrInt(node, "num_split", sizes.size()),
        "num_split != number of sizes");
  int64_t known = 0, unknown = -1;
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] == -1) {
      Check(unknown < 0, "more than one -1 in size_splits");
      unknown = i;
    } else {
      known += sizes[i];
    }
  }
  if (unknown >= 0) sizes[unknown] = x.size(axis) - known;
  return torch::split_with_sizes(x, sizes, axis);
}

Tensors PadOp(const Tensors& in, double value) {
  const Tensor& x = in[0];
  const std::vector<int64_t> p = HostInts(in[1]);
  Check(static_cast<int64_t>(p.size()) == 2 * x.dim(),
        "paddings must be [rank, 2]");
  std::vector<int64_t> torch_pad;  // Last dimension first.
  for (int64_t d = x.dim() - 1; d >= 0; --d) {
    torch_pad.push_back(p[2 * d]);
    torch_pad.push_back(p[2 * d + 1]);
  }
  return {torch::constant_pad_nd(x, torch_pad, value)};
}

Tensors Pad(const TfjsNode&, const Tensors& in) {
  ExpectInputs(in, 2);
  return PadOp(in, 0.0);
}

Tensors PadV2(const TfjsNode&, const Tensors& in) {
  ExpectInputs(in, 3);
  Check(in[2].numel() == 1, "constant_values must be a scalar");
  return PadOp(in, in[2].to(torch::kCPU).to(torch::kDouble).item<double>());
}

// TF StridedSlice with all five masks (tensorflow/core/util/strided_slice_op.cc
// semantics; a missing ellipsis is implied at the end).
Tensors StridedSlice(const TfjsNode& node, const Tensors& in) {
  ExpectInputs(in, 4);
  Tensor x = in[0];
  const std::vector<int64_t> begin = HostInts(in[1]), end = HostInts(in[2]),
                             strides = HostInts(in[3]);
  const size_t n = begin.size();
  Check(end.size() == n && strides.size() == n,
        "begin, end and strides differ in length");
  const int64_t begin_mask = AttrInt(node, "begin_mask", 0);
  const int64_t end_mask = AttrInt(node, "end_mask", 0);
  const int64_t ellipsis_mask = AttrInt(node, "ellipsis_mask", 0);
  const int64_t new_axis_mask = AttrInt(node, "new_axis_mask", 0);
  const int64_t shrink_mask = AttrInt(node, "shrink_axis_mask", 0);
  auto bit = [](int64_t mask, size_t i) { return (mask >> i) & 1; };
  const int64_t rank = in[0].dim();
  int64_t in_dim = 0;   // Next dimension of the input.
  int64_t out_dim = 0;  // Where that dimension now sits in `x`.
  for (size_t i = 0; i < n; ++i) {
    if (bit(ellipsis_mask, i)) {
      int64_t later = 0;  // Spec entries after the ellipsis that use a dim.
      for (size_t j = i + 1; j < n; ++j) later += !bit(new_axis_mask, j);
      const int64_t covered = rank - in_dim - later;
      Check(covered >= 0, "too many slice entries for the input rank");
      in_dim += covered;
      out_dim += covered;
      continue;
    }
    if (bit(new_axis_mask, i)) {
      x = x.unsqueeze(out_dim++);
      continue;
    }
    Check(in_dim < rank, "too many slice entries for the input rank");
    const int64_t size = in[0].size(in_dim++);
    const int64_t s = strides[i];
    Check(s != 0, "stride 0");
    if (bit(shrink_mask, i)) {
      const int64_t idx = begin[i] < 0 ? begin[i] + size : begin[i];
      Check(idx >= 0 && idx < size, "shrink index out of range");
      x = x.select(out_dim, idx);
      continue;
    }
    // Clamp like TF: [0, size] for positive strides, [-1, size - 1] else.
    const int64_t lo = s > 0 ? 0 : -1, hi = s > 0 ? size : size - 1;
    auto canon = [&](int64_t v, bool masked, bool is_begin) {
      if (masked) return (s > 0) == is_begin ? lo : hi;
      if (v < 0) v += size;
      return std::clamp(v, lo, hi);
    };
    const int64_t b = canon(begin[i], bit(begin_mask, i), true);
    const int64_t e = canon(end[i], bit(end_mask, i), false);
    const int64_t len = s > 0 ? std::max<int64_t>(0, (e - b + s - 1) / s)
                              : std::max<int64_t>(0, (b - e + (-s) - 1) / (-s));
    if (s > 0) {
      x = x.slice(out_dim, b, b + len * s, s);
    } else {
      x = x.index_select(
          out_dim,
          torch::arange(b, b + len * s, s,
                        torch::dtype(torch::kLong).device(x.device())));
    }
    ++out_dim;
  }
  return {x};
}

Tensors GatherV2(const TfjsNode& node, const Tensors& in) {
  ExpectInputs(in, 3);
  Check(AttrInt(node, "batch_dims", 0) == 0, "batch_dims != 0 not supported");
  const Tensor& params = in[0];
  const Tensor& indices = in[1];
  const int64_t axis = NormAxis(HostInt(in[2]), params.dim());
  Tensor flat = params.index_select(axis, indices.flatten().to(torch::kLong));
  std::vector<int64_t> shape(params.sizes().begin(),
                             params.sizes().begin() + axis);
  for (int64_t d : indices.sizes()) shape.push_back(d);
  for (int64_t d = axis + 1; d < params.dim(); ++d)
    shape.push_back(params.size(d));
  return {flat.reshape(shape)};
}

// Ties are broken toward the lower index, as TF's TopKV2 does.
Tensors TopKV2(const TfjsNode&, const Tensors& in) {
  ExpectInputs(in, 2);
  const Tensor& x = in[0];
  const int64_t k = HostInt(in[1]);
  Check(k >= 0 && k <= x.size(-1), "k out of range");
  auto [values, indices] = torch::topk(x, k, -1, true, true);
  auto by_index = indices.sort(-1);
  Tensor idx = std::get<0>(by_index);
  Tensor val = values.gather(-1, std::get<1>(by_index));
  auto by_value = val.sort(/*stable=*/true, -1, /*descending=*/true);
  Tensor order = std::get<1>(by_value);
  return {std::get<0>(by_value), idx.gather(-1, order).to(torch::kInt)};
}

Tensors SparseToDense(const TfjsNode&, const Tensors& in) {
  ExpectInputs(in, 4);
  const Tensor& indices = in[0];
  const std::vector<int64_t> shape = HostInts(in[1]);
  const Tensor& values = in[2];
  Tensor out = torch::full(shape, 0, values.options());
  out.fill_(in[3].to(values.dtype()).reshape({}));
  const int64_t n = indices.dim() == 0 ? 1 : indices.size(0);
  if (n == 0) return {out};
  Tensor idx = indices.to(torch::kLong).reshape({n, -1});
  Check(idx.size(1) == static_cast<int64_t>(shape.size()),
        "indices do not match output_shape rank");
  Tensor vals = values.numel() == 1 ? values.reshape({1}).expand({n})
                                    : values.reshape({n});
  std::vector<Tensor> cols;
  for (int64_t d = 0; d < idx.size(1); ++d) cols.push_back(idx.select(1, d));
  std::vector<c10::optional<Tensor>> opt(cols.begin(), cols.end());
  c10::List<c10::optional<Tensor>> list(opt);
  return {out.index_put(list, vals)};
}

OpFn Wrap(Tensors (*f)(const Tensors&,
                       Tensor (*)(const Tensor&, const Tensor&)),
          Tensor (*g)(const Tensor&, const Tensor&)) {
  return [f, g](const TfjsNode&, const Tensors& in) { return f(in, g); };
}

OpFn WrapUnary(Tensor (*g)(const Tensor&)) {
  return [g](const TfjsNode&, const Tensors& in) { return Unary(in, g); };
}

}  // namespace

const std::map<std::string, OpFn>& OpTable() {
  static const auto* table = new std::map<std::string, OpFn>{
      {"Add", Wrap(Binary, AddFn)},
      {"AddV2", Wrap(Binary, AddFn)},
      {"Sub", Wrap(Binary, SubFn)},
      {"Mul", Wrap(Binary, MulFn)},
      {"Equal", Wrap(Binary, EqualFn)},
      {"FloorDiv", Wrap(Binary, FloorDivFn)},
      {"FloorMod", Wrap(Binary, FloorModFn)},
      {"Relu", WrapUnary(ReluFn)},
      {"Relu6", WrapUnary(Relu6Fn)},
      {"Sigmoid", WrapUnary(SigmoidFn)},
      {"Identity", WrapUnary(IdentityFn)},
      {"LeakyRelu", LeakyRelu},
      {"Cast", Cast},
      {"Conv2D", Conv2D},
      {"_FusedConv2D", FusedConv2D},
      {"DepthwiseConv2dNative", Depthwise},
      {"FusedDepthwiseConv2dNative", FusedDepthwise},
      {"MaxPool", MaxPool},
      {"ResizeBilinear", ResizeBilinear},
      {"Reshape", Reshape},
      {"ExpandDims", ExpandDims},
      {"Transpose", Transpose},
      {"ConcatV2", ConcatV2},
      {"Mean", Mean},
      {"SplitV", SplitV},
      {"Pad", Pad},
      {"PadV2", PadV2},
      {"StridedSlice", StridedSlice},
      {"GatherV2", GatherV2},
      {"TopKV2", TopKV2},
      {"SparseToDense", SparseToDense},
  };
  return *table;
}

}  // namespace vlmc::semantic::ops
