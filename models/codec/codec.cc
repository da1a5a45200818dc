#include "models/codec/codec.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "models/bitstream/y_substreams.h"
#include "models/codec/checkpoint.h"
#include "models/codec/image_tensor.h"
#include "models/codec/latent_refinement.h"
#include "models/entropy/gaussian_table.h"
#include "models/entropy/rans_coder.h"
#include "models/image/resample.h"
#include "models/util/file_io.h"
#include "models/util/sha256.h"

namespace vlmc::codec {
namespace {

// Hyper-latent values whose tail mass beyond them is below this go through
// the escape code instead of growing the tables.
constexpr double kZTailMass = 1e-7;
constexpr int64_t kZSearchRange = 256;
// Latent residuals beyond this are clamped before coding (escape handles up
// to int32; this keeps float->int conversion defined for any input).
constexpr float kMaxSymbol = 1 << 20;

// Latent rows (columns) for an image `extent` pixels high (wide) coded at
// 1/2^downscale_log2 of its size.
int64_t LatentExtent(uint32_t extent, uint8_t downscale_log2) {
  return PaddedExtent(bitstream::CodedExtent(extent, downscale_log2)) / 16;
}

absl::StatusOr<uint8_t> DownscaleLog2(int downscale) {
  switch (downscale) {
    case 1:
      return 0;
    case 2:
      return 1;
    case 4:
      return 2;
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          "downscale ", downscale, " is not 0 (automatic), 1, 2 or 4"));
  }
}

absl::Status ValidateQuality(double quality) {
  if (quality >= 0.0 && quality <= 1.0) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("quality ", quality, " is outside [0, 1]"));
}

torch::Tensor QualityTensor(double quality) {
  return torch::full({1}, static_cast<float>(quality));
}

bitstream::Limits StreamLimits() {
  bitstream::Limits limits;
  limits.max_pixels = kMaxCodecPixels;
  return limits;
}

absl::StatusOr<std::vector<entropy::IntegerCdf>> BuildZCdfs(
    nn::FactorizedDensity& density) {
  torch::NoGradGuard no_grad;
  torch::Tensor pmf =
      density->IntegerPmf(-kZSearchRange, kZSearchRange).to(torch::kFloat64);
  std::vector<entropy::IntegerCdf> cdfs;
  for (int64_t c = 0; c < pmf.size(0); ++c) {
    const torch::Tensor row = pmf[c].contiguous();
    auto p = row.accessor<double, 1>();
    const int64_t n = p.size(0);
    int64_t lo = 0, hi = n - 1;
    for (double tail = 0; lo < n - 1 && tail + p[lo] < kZTailMass; ++lo)
      tail += p[lo];
    for (double tail = 0; hi > lo && tail + p[hi] < kZTailMass; --hi)
      tail += p[hi];
    std::vector<double> values;
    for (int64_t i = lo; i <= hi; ++i) values.push_back(p[i]);
    absl::StatusOr<entropy::IntegerCdf> cdf = entropy::BuildIntegerCdf(
        values, static_cast<int32_t>(lo - kZSearchRange));
    if (!cdf.ok()) return cdf.status();
    cdfs.push_back(*std::move(cdf));
  }
  return cdfs;
}

// An inference-only copy of `from` (same config) on `device` in `dtype`.
// Its weights are ordinary tensors even when made inside an InferenceMode
// scope (a lazy copy is made on a decode's first use).
HyperpriorNetwork CopyNetwork(const HyperpriorNetwork& from,
                              const CodecConfig& config, torch::Device device,
                              torch::ScalarType dtype) {
  c10::InferenceMode not_inference(/*enabled=*/false);
  torch::NoGradGuard no_grad;
  HyperpriorNetwork copy(config);
  copy->to(device, dtype);
  const auto parameters = from->named_parameters();
  for (auto& parameter : copy->named_parameters()) {
    parameter.value().copy_(parameters[parameter.key()]);
    parameter.value().set_requires_grad(false);
  }
  const auto buffers = from->named_buffers();
  for (auto& buffer : copy->named_buffers())
    buffer.value().copy_(buffers[buffer.key()]);
  copy->eval();
  return copy;
}

static_assert(IntegerHyperSynthesis::kFractionBits ==
              entropy::GaussianScaleTable::kFixedPointScaleBits);

// What the y segment needs per symbol: the mean subtracted before coding and
// the Gaussian table index.
struct LatentPrior {
  torch::Tensor means;  // float64 [1, M, H/16, W/16]
  std::vector<int> table_index;
};

// The prior of a format-2+ stream from the integer hyper-synthesis' int32
// [M, h, w] outputs on the CPU. The means are multiples of 2^-16 well inside
// float64's precision, so symbol + mean is exact too.
LatentPrior PriorFromFixedPoint(const torch::Tensor& means,
                                const torch::Tensor& scales) {
  const auto& table = entropy::GaussianScaleTable::Default();
  LatentPrior prior;
  prior.means =
      means.unsqueeze(0)
          .to(torch::kFloat64)
          .mul(std::ldexp(1.0, -IntegerHyperSynthesis::kFractionBits));
  const int32_t* scale = scales.data_ptr<int32_t>();
  prior.table_index.resize(scales.numel());
  for (int64_t i = 0; i < scales.numel(); ++i)
    prior.table_index[i] = table.IndexForFixedPointScale(scale[i]);
  return prior;
}

// Format 1: float64 LibTorch hyper-synthesis (kept to decode old streams).
// Format 2 and later: integer hyper-synthesis, on the device when
// `on_device` is given (same integers), else on the CPU.
LatentPrior ComputeLatentPrior(
    int format_version, const torch::Tensor& z_hat,
    const std::function<HyperpriorNetwork()>& float64_network,
    const IntegerHyperSynthesis& integer,
    const TensorHyperSynthesis* on_device) {
  if (format_version == 1) {
    const auto& table = entropy::GaussianScaleTable::Default();
    auto [means, scales] =
        float64_network()->HyperSynthesis(z_hat.to(torch::kFloat64));
    scales = scales.to(torch::kFloat32).contiguous();
    const float* scale = scales.data_ptr<float>();
    LatentPrior prior;
    prior.means = means;
    prior.table_index.resize(scales.numel());
    for (int64_t i = 0; i < scales.numel(); ++i)
      prior.table_index[i] = table.IndexForScale(scale[i]);
    return prior;
  }
  if (on_device != nullptr) {
    const TensorHyperSynthesis::Output out = on_device->Run(z_hat[0]);
    return PriorFromFixedPoint(out.means.to(torch::kCPU),
                               out.scales.to(torch::kCPU));
  }
  IntegerHyperSynthesis::Output out =
      integer.Run(z_hat.data_ptr<int32_t>(), z_hat.size(2), z_hat.size(3));
  const std::vector<int64_t> shape = {out.channels, out.height, out.width};
  return PriorFromFixedPoint(
      torch::from_blob(out.means.data(), shape, torch::kInt32),
      torch::from_blob(out.scales.data(), shape, torch::kInt32));
}

// The symbols [first, last) of substream `index` of `count` in a
// channel-major latent of `channels` channels of `per_channel` symbols.
std::pair<int64_t, int64_t> SubstreamSymbols(int64_t index, int64_t count,
                                             int64_t channels,
                                             int64_t per_channel) {
  return {
      bitstream::SubstreamFirstChannel(index, count, channels) * per_channel,
      bitstream::SubstreamFirstChannel(index + 1, count, channels) *
          per_channel};
}

// Codes symbols [begin, end) of the latent into one rANS stream.
std::string EncodeSymbols(const int32_t* symbols, const LatentPrior& prior,
                          int64_t begin, int64_t end) {
  const auto& table = entropy::GaussianScaleTable::Default();
  entropy::RansEncoder encoder;
  for (int64_t i = begin; i < end; ++i)
    encoder.Encode(symbols[i], table.cdf(prior.table_index[i]));
  return encoder.Finish();
}

// Decodes symbols [begin, end) of the latent from the rANS stream `data`
// into residual[begin, end); DATA_LOSS unless `data` holds exactly them.
absl::Status DecodeSymbols(absl::string_view data, const LatentPrior& prior,
                           int64_t begin, int64_t end, double* residual) {
  const auto& table = entropy::GaussianScaleTable::Default();
  absl::StatusOr<entropy::RansDecoder> decoder =
      entropy::RansDecoder::Create(data);
  if (!decoder.ok()) return decoder.status();
  for (int64_t i = begin; i < end; ++i) {
    absl::StatusOr<int32_t> v =
        decoder->Decode(table.cdf(prior.table_index[i]));
    if (!v.ok()) return v.status();
    residual[i] =
        static_cast<double>(std::clamp<int32_t>(*v, -kMaxSymbol, kMaxSymbol));
  }
  return decoder->Finish();
}

torch::Tensor ToTensor(const std::vector<int32_t>& v) {
  return torch::from_blob(const_cast<int32_t*>(v.data()),
                          {static_cast<int64_t>(v.size())}, torch::kInt32)
      .clone();
}

absl::StatusOr<std::vector<int32_t>> FromTensor(const TensorFile& file,
                                                const char* name) {
  auto it = file.tensors.find(name);
  if (it == file.tensors.end()) {
    return absl::DataLossError(
        absl::StrCat("model file lacks ", name,
                     " (a training checkpoint? run vlmc export)"));
  }
  if (it->second.scalar_type() != torch::kInt32 || it->second.dim() != 1) {
    return absl::DataLossError(
        absl::StrCat(name, " must be a 1-D int32 tensor"));
  }
  const int32_t* data = it->second.data_ptr<int32_t>();
  return std::vector<int32_t>(data, data + it->second.numel());
}

}  // namespace

absl::StatusOr<TensorFile> MakeModelFile(const TensorFile& checkpoint,
                                         torch::ScalarType dtype,
                                         const std::string& model_id,
                                         int model_version) {
  absl::StatusOr<CodecConfig> config =
      CodecConfig::FromMetadata(checkpoint.metadata);
  if (!config.ok()) return config.status();
  config->model_id = model_id;
  config->model_version = model_version;
  HyperpriorNetwork network(*config);
  absl::Status status = LoadNetworkWeights(checkpoint, network);
  if (!status.ok()) return status;
  {
    // Round to the storage type first so the tables match the shipped weights.
    torch::NoGradGuard no_grad;
    for (auto& p : network->parameters())
      p.copy_(p.to(dtype).to(torch::kFloat32));
  }
  absl::StatusOr<std::vector<entropy::IntegerCdf>> cdfs =
      BuildZCdfs(network->z_density());
  if (!cdfs.ok()) return cdfs.status();
  TensorFile file = NetworkToTensorFile(network, *config, dtype);
  entropy::FlatCdfs flat = entropy::FlattenCdfs(*cdfs);
  file.tensors[kZCdfValues] = ToTensor(flat.cdf_values);
  file.tensors[kZCdfLengths] = ToTensor(flat.lengths);
  file.tensors[kZCdfOffsets] = ToTensor(flat.offsets);
  return file;
}

absl::StatusOr<std::unique_ptr<Codec>> Codec::Load(
    const std::string& path, const CodecOptions& options) {
  absl::StatusOr<std::string> bytes = util::ReadFile(path);
  if (!bytes.ok()) return bytes.status();
  absl::StatusOr<std::unique_ptr<Codec>> codec =
      FromModelBytes(*bytes, options);
  if (!codec.ok()) {
    return absl::Status(codec.status().code(),
                        absl::StrCat(path, ": ", codec.status().message()));
  }
  return codec;
}

absl::StatusOr<std::unique_ptr<Codec>> Codec::FromModelBytes(
    absl::string_view bytes, const CodecOptions& options) {
  absl::StatusOr<torch::Device> device = ResolveDevice(options);
  if (!device.ok()) return device.status();
  absl::StatusOr<TensorFile> file = ParseSafetensors(bytes);
  if (!file.ok()) return file.status();
  std::unique_ptr<Codec> codec(new Codec());
  absl::StatusOr<CodecConfig> config =
      CodecConfig::FromMetadata(file->metadata);
  if (!config.ok()) return config.status();
  codec->config_ = *config;
  const util::Sha256Digest digest = util::Sha256(bytes);
  std::copy_n(digest.begin(), codec->weights_hash_.size(),
              codec->weights_hash_.begin());

  entropy::FlatCdfs flat;
  for (auto [name, target] : {std::pair{kZCdfValues, &flat.cdf_values},
                              std::pair{kZCdfLengths, &flat.lengths},
                              std::pair{kZCdfOffsets, &flat.offsets}}) {
    absl::StatusOr<std::vector<int32_t>> values = FromTensor(*file, name);
    if (!values.ok()) return values.status();
    *target = *std::move(values);
  }
  absl::StatusOr<std::vector<entropy::IntegerCdf>> cdfs =
      entropy::UnflattenCdfs(flat);
  if (!cdfs.ok()) return cdfs.status();
  const int64_t z_tables =
      config->channels_n *
      (config->z_density_per_level
           ? static_cast<int64_t>(config->level_lambdas.size())
           : 1);
  if (static_cast<int64_t>(cdfs->size()) != z_tables) {
    return absl::DataLossError(absl::StrCat(
        "model file has ", cdfs->size(), " z tables for N=", config->channels_n,
        config->z_density_per_level ? " per level" : ""));
  }
  codec->z_cdfs_ = *std::move(cdfs);
  codec->network_ = HyperpriorNetwork(*config);
  absl::Status status = LoadNetworkWeights(*file, codec->network_);
  if (!status.ok()) return status;
  codec->network_->eval();
  // Nothing trains a loaded model; latent refinement differentiates with
  // respect to the latents only.
  for (auto& p : codec->network_->parameters()) p.set_requires_grad(false);
  absl::StatusOr<IntegerHyperSynthesis> hyper_synthesis =
      IntegerHyperSynthesis::FromNetwork(codec->network_);
  if (!hyper_synthesis.ok()) return hyper_synthesis.status();
  codec->hyper_synthesis_ = *std::move(hyper_synthesis);

  codec->device_ = *device;
  const torch::ScalarType synthesis_dtype = SynthesisDtype(options.synthesis);
  if (device->is_cpu()) {
    codec->synthesis_network_ = synthesis_dtype == torch::kFloat64
                                    ? codec->Float64Network()
                                    : codec->network_;
    return codec;
  }
  codec->network_->to(*device);
  absl::StatusOr<TensorHyperSynthesis> device_hyper_synthesis =
      TensorHyperSynthesis::Create(codec->hyper_synthesis_->layers(), *device);
  if (!device_hyper_synthesis.ok()) return device_hyper_synthesis.status();
  codec->device_hyper_synthesis_ = *std::move(device_hyper_synthesis);
  codec->synthesis_network_ =
      synthesis_dtype == torch::kFloat32
          ? codec->network_
          : CopyNetwork(codec->network_, *config, *device, synthesis_dtype);
  return codec;
}

HyperpriorNetwork Codec::Float64Network() const {
  absl::call_once(network_f64_once_, [this] {
    network_f64_ = CopyNetwork(network_, config_, torch::kCPU, torch::kFloat64);
  });
  return network_f64_;
}

absl::StatusOr<std::string> Codec::Compress(
    const image::Image& image, double quality,
    const EncodeOptions& options) const {
  absl::Status valid = image::ValidateImage(image);
  if (!valid.ok()) return valid;
  if (absl::Status s = ValidateQuality(quality); !s.ok()) return s;
  if (options.downscale == kAutomaticDownscale) {
    return CompressAtBestResolution(image, quality, options);
  }
  absl::StatusOr<AnalyzedImage> analyzed = Analyze(image, options);
  if (!analyzed.ok()) return analyzed.status();
  return CompressAnalyzed(*analyzed, quality);
}

absl::StatusOr<AnalyzedImage> Codec::Analyze(
    const image::Image& image, const EncodeOptions& options) const {
  absl::Status valid = image::ValidateImage(image);
  if (!valid.ok()) return valid;
  if (options.downscale == kAutomaticDownscale) {
    return absl::InvalidArgumentError(
        "an analysis needs a fixed downscale (1, 2 or 4), not automatic");
  }
  absl::StatusOr<uint8_t> downscale_log2 = DownscaleLog2(options.downscale);
  if (!downscale_log2.ok()) return downscale_log2.status();
  const RefinementOptions& refinement = options.refinement;
  if (refinement.iterations < 0 ||
      refinement.iterations > kMaxRefinementIterations ||
      !(refinement.learning_rate > 0.0 && refinement.learning_rate <= 1.0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("refinement needs 0 to ", kMaxRefinementIterations,
                     " iterations and a learning rate in (0, 1]"));
  }
  AnalyzedImage analyzed;
  analyzed.width = static_cast<uint32_t>(image.width);
  analyzed.height = static_cast<uint32_t>(image.height);
  analyzed.options = options;
  // The size limits, before any work (the quality does not enter them).
  absl::Status limits = bitstream::ValidateHeader(
      NewHeader(analyzed.width, analyzed.height, *downscale_log2, 0.0),
      StreamLimits());
  if (!limits.ok()) return limits;
  // Block means of the image when it is coded smaller, else the image itself.
  if (options.downscale > 1) {
    absl::StatusOr<image::Image> small =
        image::DownscaleByBlockMean(image, options.downscale);
    if (!small.ok()) return small.status();
    analyzed.coded_image = *std::move(small);
  } else {
    analyzed.coded_image = image;
  }
  if (refinement.iterations == 0 && !network_->pre_editor()) {
    torch::InferenceMode inference;
    analyzed.ungained = network_->UngainedAnalysis(
        UploadTo(PaddedImageTensor(analyzed.coded_image), device_));
  }
  return analyzed;
}

absl::StatusOr<std::string> Codec::CompressAnalyzed(
    const AnalyzedImage& analyzed, double quality) const {
  if (absl::Status s = ValidateQuality(quality); !s.ok()) return s;
  const EncodeOptions& options = analyzed.options;
  const RefinementOptions& refinement = options.refinement;
  absl::StatusOr<uint8_t> downscale_log2 = DownscaleLog2(options.downscale);
  if (!downscale_log2.ok()) return downscale_log2.status();
  bitstream::StreamHeader header =
      NewHeader(analyzed.width, analyzed.height, *downscale_log2, quality);
  const int64_t latent_channels = config_.channels_m;
  const int64_t y_symbols = latent_channels *
                            LatentExtent(header.height, header.downscale_log2) *
                            LatentExtent(header.width, header.downscale_log2);
  const int64_t max_substreams =
      std::min<int64_t>(bitstream::kMaxYSubstreams, latent_channels);
  if (options.y_substreams < 0 || options.y_substreams > max_substreams) {
    return absl::InvalidArgumentError(
        absl::StrCat("y substreams must be 0 (automatic) to ", max_substreams,
                     ", not ", options.y_substreams));
  }
  const int y_substreams =
      options.y_substreams > 0
          ? options.y_substreams
          : AutomaticYSubstreams(y_symbols, latent_channels);
  if (y_substreams > 1)
    header.format_version = bitstream::kSubstreamFormatVersion;
  absl::Status limits = bitstream::ValidateHeader(header, StreamLimits());
  if (!limits.ok()) return limits;
  const image::Image& coded_image = analyzed.coded_image;

  const double coded_quality = bitstream::CodeToQuality(header.quality_code);
  torch::Tensor y, z;
  if (refinement.iterations > 0) {
    // Needs autograd, so it runs before the inference-mode guard.
    RefinedLatents refined = RefineLatents(
        network_, config_, UploadTo(PaddedImageTensor(coded_image), device_),
        coded_quality, refinement);
    y = refined.y.to(torch::kCPU);
    z = refined.z_hat.to(torch::kCPU);
  }
  torch::InferenceMode inference;
  if (refinement.iterations == 0) {
    const torch::Tensor quality_on_device =
        QualityTensor(coded_quality).to(device_);
    const torch::Tensor y_on_device =
        analyzed.ungained.defined()
            ? network_->ApplyGain(analyzed.ungained, quality_on_device)
            : network_->Analysis(
                  UploadTo(PaddedImageTensor(coded_image), device_),
                  quality_on_device);
    z = network_->HyperAnalysis(y_on_device).to(torch::kCPU);
    y = y_on_device.to(torch::kCPU);
  }
  torch::Tensor z_hat = torch::round(z)
                            .clamp(-kMaxSymbol, kMaxSymbol)
                            .to(torch::kInt32)
                            .contiguous();
  entropy::RansEncoder encoder;
  {
    const int32_t* z = z_hat.data_ptr<int32_t>();
    const int64_t per_channel = z_hat.size(2) * z_hat.size(3);
    const int64_t first_table = ZTableOffset(header.quality_code);
    for (int64_t c = 0; c < z_hat.size(1); ++c) {
      for (int64_t i = 0; i < per_channel; ++i)
        encoder.Encode(z[c * per_channel + i], z_cdfs_[first_table + c]);
    }
  }
  const std::string z_bytes = encoder.Finish();

  const LatentPrior prior = ComputeLatentPrior(
      header.format_version, z_hat, [this] { return Float64Network(); },
      *hyper_synthesis_,
      device_hyper_synthesis_ ? &*device_hyper_synthesis_ : nullptr);
  torch::Tensor residual = torch::round(y.to(torch::kFloat64) - prior.means)
                               .clamp(-kMaxSymbol, kMaxSymbol)
                               .to(torch::kInt32)
                               .contiguous();
  const int32_t* symbols = residual.data_ptr<int32_t>();
  const int64_t per_channel = residual.numel() / latent_channels;
  std::vector<std::string> substreams(y_substreams);
  // Substreams are independent, so the bytes do not depend on the threads.
  at::parallel_for(0, y_substreams, 1, [&](int64_t first, int64_t last) {
    for (int64_t k = first; k < last; ++k) {
      const auto [begin, end] =
          SubstreamSymbols(k, y_substreams, latent_channels, per_channel);
      substreams[k] = EncodeSymbols(symbols, prior, begin, end);
    }
  });
  if (y_substreams == 1)
    return bitstream::WriteStream(header, z_bytes, substreams[0]);
  absl::StatusOr<std::string> y_bytes = bitstream::JoinYSubstreams(substreams);
  if (!y_bytes.ok()) return y_bytes.status();
  return bitstream::WriteStream(header, z_bytes, *y_bytes);
}

bitstream::StreamHeader Codec::NewHeader(uint32_t width, uint32_t height,
                                         uint8_t downscale_log2,
                                         double quality) const {
  bitstream::StreamHeader header;
  header.model_id = config_.model_id;
  header.model_version = static_cast<uint16_t>(config_.model_version);
  header.weights_hash = weights_hash_;
  header.width = width;
  header.height = height;
  header.quality_code = bitstream::QualityToCode(quality);
  header.downscale_log2 = downscale_log2;
  // Streams that need nothing new stay readable by format-2 decoders.
  if (downscale_log2 != 0)
    header.format_version = bitstream::kDownscaleFormatVersion;
  return header;
}

int AutomaticYSubstreams(int64_t y_symbols, int64_t channels) {
  constexpr int64_t kSymbolsPerSubstream = int64_t{1} << 17;
  constexpr int64_t kMaxAutomatic = 16;
  return static_cast<int>(std::max<int64_t>(
      1,
      std::min({y_symbols / kSymbolsPerSubstream, kMaxAutomatic, channels})));
}

int64_t Codec::ZTableOffset(uint16_t quality_code) const {
  if (!config_.z_density_per_level) return 0;
  return NearestLevel(quality_code,
                      static_cast<int64_t>(config_.level_lambdas.size())) *
         config_.channels_n;
}

absl::Status Codec::CheckModel(const bitstream::StreamHeader& header) const {
  if (header.model_id != config_.model_id ||
      header.model_version != config_.model_version ||
      header.weights_hash != weights_hash_) {
    return absl::FailedPreconditionError(absl::StrCat(
        "stream was written by model ", header.model_id, " v",
        header.model_version, " (weights ", util::ToHex(header.weights_hash),
        "), this is ", config_.model_id, " v", config_.model_version,
        " (weights ", util::ToHex(weights_hash_), ")"));
  }
  return absl::OkStatus();
}

absl::StatusOr<DecodedLatents> Codec::DecodeLatents(
    absl::string_view stream, DecodeTimings* timings) const {
  absl::StatusOr<bitstream::ParsedStream> parsed =
      bitstream::ParseStream(stream, StreamLimits());
  if (!parsed.ok()) return parsed.status();
  const bitstream::StreamHeader& header = parsed->header;
  if (absl::Status same_model = CheckModel(header); !same_model.ok()) {
    return same_model;
  }
  const int64_t height =
                    LatentExtent(header.height, header.downscale_log2) * 16,
                width = LatentExtent(header.width, header.downscale_log2) * 16;
  const int64_t n = config_.channels_n;

  torch::InferenceMode inference;
  absl::StatusOr<entropy::RansDecoder> z_decoder =
      entropy::RansDecoder::Create(parsed->z_segment);
  if (!z_decoder.ok()) return z_decoder.status();
  torch::Tensor z_hat =
      torch::empty({1, n, height / 64, width / 64}, torch::kInt32);
  {
    int32_t* z = z_hat.data_ptr<int32_t>();
    const int64_t per_channel = z_hat.size(2) * z_hat.size(3);
    const int64_t first_table = ZTableOffset(header.quality_code);
    for (int64_t c = 0; c < n; ++c) {
      for (int64_t i = 0; i < per_channel; ++i) {
        absl::StatusOr<int32_t> v = z_decoder->Decode(z_cdfs_[first_table + c]);
        if (!v.ok())
          return absl::DataLossError(
              absl::StrCat("z segment: ", v.status().message()));
        z[c * per_channel + i] =
            std::clamp<int32_t>(*v, -kMaxSymbol, kMaxSymbol);
      }
    }
  }
  if (absl::Status done = z_decoder->Finish(); !done.ok()) {
    return absl::DataLossError(absl::StrCat("z segment: ", done.message()));
  }

  const auto prior_start = std::chrono::steady_clock::now();
  const LatentPrior prior = ComputeLatentPrior(
      header.format_version, z_hat, [this] { return Float64Network(); },
      *hyper_synthesis_,
      device_hyper_synthesis_ ? &*device_hyper_synthesis_ : nullptr);
  if (timings != nullptr)
    timings->hyper_synthesis_ms = ElapsedMs(prior_start, torch::kCPU);
  torch::Tensor residual = torch::empty(prior.means.sizes(), torch::kFloat64);
  const std::vector<absl::string_view>& substreams = parsed->y_substreams;
  const int64_t count = static_cast<int64_t>(substreams.size());
  const int64_t channels = config_.channels_m;
  if (count > channels) {
    return absl::DataLossError(absl::StrCat("y segment has ", count,
                                            " substreams for ", channels,
                                            " latent channels"));
  }
  const int64_t per_channel = residual.numel() / channels;
  double* r = residual.data_ptr<double>();
  std::vector<absl::Status> results(count);
  at::parallel_for(0, count, 1, [&](int64_t first, int64_t last) {
    for (int64_t k = first; k < last; ++k) {
      const auto [begin, end] =
          SubstreamSymbols(k, count, channels, per_channel);
      results[k] = DecodeSymbols(substreams[k], prior, begin, end, r);
    }
  });
  // The first failing substream decides, whatever the threads' timing.
  for (int64_t k = 0; k < count; ++k) {
    if (results[k].ok()) continue;
    return absl::DataLossError(
        absl::StrCat(header.format_version >= bitstream::kSubstreamFormatVersion
                         ? absl::StrCat("y substream ", k, ": ")
                         : "y segment: ",
                     results[k].message()));
  }

  return DecodedLatents{header, residual + prior.means};
}

absl::StatusOr<std::vector<image::Image>> Codec::Synthesize(
    absl::Span<const DecodedLatents> batch, DecodeTimings* timings) const {
  const auto start = std::chrono::steady_clock::now();
  torch::InferenceMode inference;
  absl::StatusOr<LatentBatch> stacked = StackLatents(batch);
  if (!stacked.ok()) return stacked.status();
  // Latents made by hand (or by another model) must not reach the network
  // with a shape it would throw on, nor crop beyond its output.
  for (const DecodedLatents& latents : batch) {
    if (absl::Status same_model = CheckModel(latents.header); !same_model.ok())
      return same_model;
    const bitstream::StreamHeader& header = latents.header;
    if (absl::Status valid = bitstream::ValidateHeader(header, StreamLimits());
        !valid.ok()) {
      return valid;
    }
    const std::vector<int64_t> expected = {
        1, config_.channels_m,
        LatentExtent(header.height, header.downscale_log2),
        LatentExtent(header.width, header.downscale_log2)};
    if (latents.y_hat.sizes() != expected) {
      return absl::InvalidArgumentError(absl::StrCat(
          "latents of shape ", c10::str(latents.y_hat.sizes()), " for a ",
          latents.header.width, "x", latents.header.height, " image"));
    }
  }
  DecodeTimings local;

  auto stage = std::chrono::steady_clock::now();
  const torch::Tensor y_hat = UploadTo(stacked->y_hat, device_);
  const torch::Tensor quality = stacked->quality.to(device_);
  local.transfer_ms += ElapsedMs(stage, device_);

  stage = std::chrono::steady_clock::now();
  const torch::ScalarType dtype =
      synthesis_network_->parameters().front().scalar_type();
  const torch::Tensor pixels_on_device =
      ToPixels(synthesis_network_->Synthesis(y_hat.to(dtype), quality));
  local.synthesis_ms = ElapsedMs(stage, device_);

  stage = std::chrono::steady_clock::now();
  const torch::Tensor pixels = pixels_on_device.to(torch::kCPU);
  local.transfer_ms += ElapsedMs(stage, device_);

  absl::StatusOr<std::vector<image::Image>> images =
      PixelsToImages(pixels, batch);
  if (!images.ok()) return images.status();
  local.total_ms = ElapsedMs(start, torch::kCPU);
  if (timings != nullptr) {
    timings->synthesis_ms = local.synthesis_ms;
    timings->transfer_ms = local.transfer_ms;
    timings->total_ms = local.total_ms;
  }
  return images;
}

absl::StatusOr<image::Image> Codec::Decompress(absl::string_view stream,
                                               DecodeTimings* timings) const {
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<DecodedLatents> latents = DecodeLatents(stream, timings);
  if (!latents.ok()) return latents.status();
  const double entropy_ms = ElapsedMs(start, torch::kCPU);
  absl::StatusOr<std::vector<image::Image>> images =
      Synthesize(absl::MakeConstSpan(&*latents, 1), timings);
  if (!images.ok()) return images.status();
  if (timings != nullptr) {
    timings->entropy_ms = entropy_ms;
    timings->total_ms = ElapsedMs(start, torch::kCPU);
  }
  return std::move(images->front());
}

std::vector<absl::StatusOr<DecodedLatents>> Codec::DecodeLatentsBatch(
    absl::Span<const absl::string_view> streams) const {
  std::vector<absl::StatusOr<DecodedLatents>> results(
      streams.size(), absl::UnknownError("not decoded"));
  // One stream per task; a stream's own substreams then decode on this
  // thread (at::parallel_for does not nest).
  at::parallel_for(0, static_cast<int64_t>(streams.size()), 1,
                   [&](int64_t first, int64_t last) {
                     for (int64_t i = first; i < last; ++i) {
                       try {
                         results[i] = DecodeLatents(streams[i]);
                       } catch (const std::exception& e) {
                         results[i] = absl::InternalError(absl::StrCat(
                             "decoding the latents failed: ", e.what()));
                       }
                     }
                   });
  return results;
}

std::vector<absl::StatusOr<image::Image>> Codec::DecompressBatch(
    absl::Span<const absl::string_view> streams) const {
  std::vector<absl::StatusOr<image::Image>> results(
      streams.size(), absl::UnknownError("not decoded"));
  // Latent shape -> the decoded streams of that shape, in input order.
  std::map<std::vector<int64_t>, std::vector<size_t>> groups;
  std::vector<DecodedLatents> latents(streams.size());
  std::vector<absl::StatusOr<DecodedLatents>> all = DecodeLatentsBatch(streams);
  for (size_t i = 0; i < streams.size(); ++i) {
    absl::StatusOr<DecodedLatents>& decoded = all[i];
    if (!decoded.ok()) {
      results[i] = decoded.status();
      continue;
    }
    latents[i] = *std::move(decoded);
    groups[latents[i].y_hat.sizes().vec()].push_back(i);
  }
  for (const auto& [shape, members] : groups) {
    std::vector<DecodedLatents> batch;
    for (size_t i : members) batch.push_back(latents[i]);
    absl::StatusOr<std::vector<image::Image>> images = Synthesize(batch);
    for (size_t k = 0; k < members.size(); ++k) {
      if (images.ok()) {
        results[members[k]] = std::move((*images)[k]);
      } else {
        results[members[k]] = images.status();
      }
    }
  }
  return results;
}

absl::StatusOr<std::string> Codec::BatchKey(absl::string_view stream) {
  absl::StatusOr<bitstream::ParsedStream> parsed =
      bitstream::ParseStream(stream, StreamLimits());
  if (!parsed.ok()) return parsed.status();
  const bitstream::StreamHeader& header = parsed->header;
  return absl::StrCat(header.model_id, " v", header.model_version, " ",
                      util::ToHex(header.weights_hash), " ",
                      LatentExtent(header.height, header.downscale_log2), "x",
                      LatentExtent(header.width, header.downscale_log2));
}

}  // namespace vlmc::codec
