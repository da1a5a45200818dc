#include "models/codec/bls2017_import.h"

#include <cmath>
#include <cstring>
#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "models/util/file_io.h"
#include "models/util/sha256.h"

namespace vlmc::codec {
namespace {

constexpr int64_t kC = kBls2017Channels;

struct PretrainedFile {
  const char* name;
  int64_t floats;
  const char* sha256;
};

// The layout and digests of ../shared/pretrained/bls2017-mse-0.125 (its
// README and SHA256SUMS).
constexpr PretrainedFile kFiles[] = {
    {"ana_w.bin", 9 * 9 * 3 * kC + 2 * kC* kC + 2 * 5 * 5 * kC* kC,
     "757a0b4c52082dd36ef90732ee1553299d127dcdc961882a7921b4e14c23f94e"},
    {"ana_b.bin", 4 * kC,
     "b59a9b56d73b539066add8ffe8084dcba410625f1a1e6887080f949632469fed"},
    {"syn_w.bin", 2 * 5 * 5 * kC* kC + 2 * kC* kC + 9 * 9 * kC * 3,
     "8eb191b1e16cd0aa11031f897b914c1b006b84a32dfb31be565b940ade4e494b"},
    {"syn_b.bin", 4 * kC + 3,
     "11dcdae74c3e02d8fde203a602b47bf35348b08be60d699c4a1d5856465edf16"},
};

// Hands out consecutive tensors of one raw little-endian float32 file.
class TensorCursor {
 public:
  explicit TensorCursor(const std::string& bytes) : bytes_(bytes) {}
  torch::Tensor Next(torch::IntArrayRef shape) {
    int64_t count = 1;
    for (int64_t d : shape) count *= d;
    torch::Tensor t = torch::empty(shape, torch::kFloat32);
    std::memcpy(t.data_ptr<float>(), bytes_.data() + offset_,
                static_cast<size_t>(count) * sizeof(float));
    offset_ += static_cast<size_t>(count) * sizeof(float);
    return t;
  }

 private:
  const std::string& bytes_;
  size_t offset_ = 0;
};

// HWIO [K, K, in, out] to LibTorch's OIHW.
torch::Tensor ConvWeight(const torch::Tensor& hwio) {
  return hwio.permute({3, 2, 0, 1}).contiguous();
}

// Stored [in][out]; the 1x1 convolution wants [out][in].
torch::Tensor GdnGamma(const torch::Tensor& gamma) {
  return gamma.t().contiguous().view({kC, kC, 1, 1});
}

absl::StatusOr<std::map<std::string, std::string>> ReadCheckedFiles(
    const std::string& dir) {
  std::map<std::string, std::string> contents;
  for (const PretrainedFile& file : kFiles) {
    const std::string path = dir + "/" + file.name;
    const uint64_t expected = static_cast<uint64_t>(file.floats) * 4;
    absl::StatusOr<std::string> bytes = util::ReadFile(path, expected);
    if (!bytes.ok()) {
      if (bytes.status().code() == absl::StatusCode::kInvalidArgument) {
        return absl::DataLossError(absl::StrCat(path, " is longer than the ",
                                                expected, " bytes expected"));
      }
      return absl::Status(
          bytes.status().code(),
          absl::StrCat("bls2017 import: ", bytes.status().message()));
    }
    if (bytes->size() != expected) {
      return absl::DataLossError(absl::StrCat(path, " holds ", bytes->size(),
                                              " bytes, expected ", expected));
    }
    const std::string digest = util::ToHex(util::Sha256(*bytes));
    if (digest != file.sha256) {
      return absl::DataLossError(absl::StrCat(path, " has sha256 ", digest,
                                              ", expected ", file.sha256));
    }
    contents[file.name] = *std::move(bytes);
  }
  return contents;
}

}  // namespace

CodecConfig Bls2017Config() {
  CodecConfig config;
  config.model_id = "vlmc-bls";
  config.family = kFamilyBls2017;
  config.channels_n = kC;
  config.channels_m = kC;
  config.level_lambdas = {0.0007, 0.0018, 0.0045, 0.011, 0.027, 0.065, 0.16};
  return config;
}

absl::StatusOr<torch::Tensor> SubpixelKernelFromZeroInsertion(
    const torch::Tensor& kernel, int64_t stride, int64_t padding) {
  if (kernel.dim() != 4 || kernel.size(0) != kernel.size(1)) {
    return absl::InvalidArgumentError("kernel must be HWIO with square taps");
  }
  const int64_t k = kernel.size(0);
  const int64_t in = kernel.size(2);
  const int64_t out = kernel.size(3);
  // Output s*j + r reads zero-inserted sample s*j + r + t - padding at tap t,
  // which is input j + d when t = s*d + padding - r, d in {-1, 0, 1}.
  torch::Tensor weight =
      torch::zeros({out, stride, stride, in, 3, 3}, kernel.options());
  int64_t taps_used = 0;
  for (int64_t ry = 0; ry < stride; ++ry) {
    for (int64_t dy = -1; dy <= 1; ++dy) {
      const int64_t ty = stride * dy + padding - ry;
      if (ty < 0 || ty >= k) continue;
      for (int64_t rx = 0; rx < stride; ++rx) {
        for (int64_t dx = -1; dx <= 1; ++dx) {
          const int64_t tx = stride * dx + padding - rx;
          if (tx < 0 || tx >= k) continue;
          weight.index_put_({torch::indexing::Slice(), ry, rx,
                             torch::indexing::Slice(), dy + 1, dx + 1},
                            kernel[ty][tx].t());
          ++taps_used;
        }
      }
    }
  }
  if (taps_used != k * k) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a ", k, "x", k, " kernel of stride ", stride, " and padding ", padding,
        " does not fit a 3x3 sub-pixel convolution"));
  }
  return weight.view({out * stride * stride, in, 3, 3});
}

absl::StatusOr<HyperpriorNetwork> ImportBls2017(const std::string& dir,
                                                const CodecConfig& config) {
  if (config.family != kFamilyBls2017 || config.channels_n != kC ||
      config.channels_m != kC) {
    return absl::InvalidArgumentError(
        absl::StrCat("the bls2017 import needs family ", kFamilyBls2017,
                     " with N = M = ", kC));
  }
  absl::StatusOr<std::map<std::string, std::string>> files =
      ReadCheckedFiles(dir);
  if (!files.ok()) return files.status();
  TensorCursor ana_w(files->at("ana_w.bin")), ana_b(files->at("ana_b.bin"));
  TensorCursor syn_w(files->at("syn_w.bin")), syn_b(files->at("syn_b.bin"));

  std::map<std::string, torch::Tensor> weights;
  weights["g_a.0.weight"] = ConvWeight(ana_w.Next({9, 9, 3, kC}));
  weights["g_a.1.gamma"] = GdnGamma(ana_w.Next({kC, kC}));
  weights["g_a.2.weight"] = ConvWeight(ana_w.Next({5, 5, kC, kC}));
  weights["g_a.3.gamma"] = GdnGamma(ana_w.Next({kC, kC}));
  weights["g_a.4.weight"] = ConvWeight(ana_w.Next({5, 5, kC, kC}));
  weights["g_a.0.bias"] = ana_b.Next({kC});
  weights["g_a.1.beta"] = ana_b.Next({kC});
  weights["g_a.2.bias"] = ana_b.Next({kC});
  weights["g_a.3.beta"] = ana_b.Next({kC});
  weights["g_a.4.bias"] = torch::zeros({kC});  // trained without a bias

  struct UpLayer {
    const char* name;
    int64_t kernel, stride, padding, out;
  };
  const UpLayer kUp[] = {{"g_s.0.conv", 5, 2, 2, kC},
                         {"g_s.2.conv", 5, 2, 2, kC},
                         {"g_s.4.conv", 9, 4, 4, 3}};
  const char* kInverseGdn[] = {"g_s.1", "g_s.3"};
  // syn_w and syn_b each hold the layers in order: kernel (bias), then the
  // inverse GDN's gamma (beta) after the first two.
  for (int i = 0; i < 3; ++i) {
    const UpLayer& up = kUp[i];
    absl::StatusOr<torch::Tensor> weight = SubpixelKernelFromZeroInsertion(
        syn_w.Next({up.kernel, up.kernel, kC, up.out}), up.stride, up.padding);
    if (!weight.ok()) return weight.status();
    weights[absl::StrCat(up.name, ".weight")] = *weight;
    weights[absl::StrCat(up.name, ".bias")] =
        syn_b.Next({up.out}).repeat_interleave(up.stride * up.stride);
    if (i < 2) {
      weights[absl::StrCat(kInverseGdn[i], ".gamma")] =
          GdnGamma(syn_w.Next({kC, kC}));
      weights[absl::StrCat(kInverseGdn[i], ".beta")] = syn_b.Next({kC});
    }
  }

  // Gains sqrt(lambda / trained lambda): a level's quantisation step then
  // shrinks with its lambda as it would for a model trained there.
  const int64_t levels = static_cast<int64_t>(config.level_lambdas.size());
  torch::Tensor log_gain = torch::empty({levels, kC});
  for (int64_t l = 0; l < levels; ++l) {
    log_gain[l].fill_(
        0.5 * std::log(config.level_lambdas[l] / kBls2017TrainedLambda));
  }
  weights["gains.log_gain"] = log_gain;
  weights["gains.log_inverse_gain"] = -log_gain;

  HyperpriorNetwork network(config);
  torch::NoGradGuard no_grad;
  auto params = network->named_parameters();
  for (const auto& [name, value] : weights) {
    torch::Tensor* target = params.find(name);
    if (target == nullptr || !target->sizes().equals(value.sizes())) {
      return absl::InternalError(
          absl::StrCat("bls2017 import: the network has no parameter ", name,
                       " of shape ", c10::str(value.sizes())));
    }
    target->copy_(value);
  }
  return network;
}

}  // namespace vlmc::codec
