#ifndef VLMC_MODELS_CODEC_CODEC_H_
#define VLMC_MODELS_CODEC_CODEC_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/call_once.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "models/bitstream/stream_format.h"
#include "models/codec/codec_config.h"
#include "models/codec/codec_device.h"
#include "models/codec/hyperprior_network.h"
#include "models/codec/integer_hyper_synthesis.h"
#include "models/codec/latent_batch.h"
#include "models/codec/latent_refinement.h"
#include "models/codec/safetensors.h"
#include "models/codec/tensor_hyper_synthesis.h"
#include "models/entropy/integer_cdf.h"
#include "models/image/image.h"

namespace vlmc::codec {

// Largest image the codec accepts (either direction): the network's
// activations for 2^24 pixels take about 1 GiB at N = 64.
inline constexpr uint64_t kMaxCodecPixels = 1ull << 24;

// Encoder choices that decoders need nothing new for (refinement) or that the
// stream records (downscale).
struct EncodeOptions {
  // Off by default: spends encoder time searching for better latents.
  RefinementOptions refinement;
  // 1, 2 or 4: code the image at 1/downscale of its width and height (block
  // means) and let the decoder upsample it (format 3): about downscale^2
  // fewer bits, for rates below what the model reaches at full resolution.
  // 0: automatic, see kAutomaticDownscale.
  int downscale = 1;
  // Independent rANS substreams of the y segment, one per group of latent
  // channels, which decoders decode in parallel (format 4; each costs about
  // 8 bytes). 0: automatic (AutomaticYSubstreams); 1: a single stream, which
  // keeps the stream readable by format-2/3 decoders; 2 to
  // min(bitstream::kMaxYSubstreams, the model's latent channels): that many.
  int y_substreams = 0;
};

// The substream count an encoder picks by default for `y_symbols` latent
// symbols: one per 2^17 symbols (rounded down), at least 1, at most 16 and at
// most `channels`. Images up to about 0.7 megapixels stay a single stream;
// 1920x1080 gets 5.
int AutomaticYSubstreams(int64_t y_symbols, int64_t channels);

// EncodeOptions::downscale that codes the image at 1, 1/2 and 1/4 resolution
// and keeps the stream with the least bits + λ(q)·MSE (the training's
// rate–distortion cost at this quality, MSE in 8-bit units over the
// full-size image). Full resolution is coded and decoded first; a smaller
// one is tried only if λ·MSE of the upsampled block means alone stays below
// that cost: at high qualities (q >= 0.8 on Kodak) the choice costs one encode
// and one decode, below that as much as coding all three (about 1.4 times).
inline constexpr int kAutomaticDownscale = 0;

// The part of an encode that does not depend on the quality, made once by
// Codec::Analyze for an encoder that tries several qualities (the rate and
// task searches, the automatic resolution choice). Codec::CompressAnalyzed of
// it at quality q returns the bytes Compress(image, q, options) returns; each
// quality then costs the gains, the hyper networks and the entropy coder, not
// the analysis transform. Where the latents depend on the quality before the
// gains (a pre-editor, latent refinement) `ungained` stays undefined and each
// quality repeats the whole encode.
struct AnalyzedImage {
  uint32_t width = 0, height = 0;  // the image's size
  EncodeOptions options;           // downscale 1, 2 or 4
  image::Image coded_image;        // at 1/downscale of the size
  torch::Tensor ungained;          // the analysis before the gains, on device
};

// "1", "2", "4" or "auto" (kAutomaticDownscale) as an EncodeOptions::downscale;
// INVALID_ARGUMENT naming the accepted values otherwise.
absl::StatusOr<int> ParseDownscale(absl::string_view text);
// The inverse: "auto" for kAutomaticDownscale, else the factor in decimal.
std::string DownscaleName(int downscale);

// A loaded model: the network, its identity and the integer tables that make
// entropy coding bit-exact. All methods are safe to call from several threads
// at once.
class Codec {
 public:
  // Loads a model file written by `vlmc export` (weights, config metadata,
  // integer CDF tables). The stream identity is the file's sha256 prefix.
  // `options` place the networks (see CodecOptions and ResolveDevice for the
  // errors).
  static absl::StatusOr<std::unique_ptr<Codec>> Load(
      const std::string& path, const CodecOptions& options = {});
  static absl::StatusOr<std::unique_ptr<Codec>> FromModelBytes(
      absl::string_view bytes, const CodecOptions& options = {});

  // Compresses RGB8 `image` at `quality` in [0, 1] (0: fewest bits).
  // INVALID_ARGUMENT for a bad image, quality or option.
  absl::StatusOr<std::string> Compress(const image::Image& image,
                                       double quality,
                                       const EncodeOptions& options = {}) const;
  // Compress in two steps (see AnalyzedImage). Analyze takes a fixed
  // downscale (INVALID_ARGUMENT for kAutomaticDownscale) and does all checks
  // but the quality's; CompressAnalyzed checks the quality.
  absl::StatusOr<AnalyzedImage> Analyze(
      const image::Image& image, const EncodeOptions& options = {}) const;
  absl::StatusOr<std::string> CompressAnalyzed(const AnalyzedImage& analyzed,
                                               double quality) const;
  // Decompresses a stream this model wrote. DATA_LOSS for corrupt streams,
  // FAILED_PRECONDITION for streams of another model, INVALID_ARGUMENT for
  // streams beyond the limits. = Synthesize(DecodeLatents(stream)).
  absl::StatusOr<image::Image> Decompress(
      absl::string_view stream, DecodeTimings* timings = nullptr) const;

  // The decode in two stages, so that a caller can batch the second. The
  // first does all validation (errors as Decompress) and the entropy
  // decoding, on the CPU; the hyper-synthesis runs on the codec's device.
  // `timings`, if given, gets hyper_synthesis_ms.
  absl::StatusOr<DecodedLatents> DecodeLatents(
      absl::string_view stream, DecodeTimings* timings = nullptr) const;
  // Synthesises latents of one shape (see BatchKey) in one network pass;
  // images in input order; on the CPU pixels identical to one-at-a-time
  // decoding in float64, within +-1 in float32 (tested; unchecked on CUDA).
  // INVALID_ARGUMENT for an empty batch, differing shapes or latents that
  // do not fit their header; FAILED_PRECONDITION for another model's.
  absl::StatusOr<std::vector<image::Image>> Synthesize(
      absl::Span<const DecodedLatents> batch,
      DecodeTimings* timings = nullptr) const;
  // DecodeLatents of each stream, one result per stream in input order (a
  // bad stream fails only itself), the streams spread over LibTorch's
  // intra-op threads.
  std::vector<absl::StatusOr<DecodedLatents>> DecodeLatentsBatch(
      absl::Span<const absl::string_view> streams) const;
  // One result per stream (a bad stream fails only itself); streams whose
  // latent shapes match are synthesised together.
  std::vector<absl::StatusOr<image::Image>> DecompressBatch(
      absl::Span<const absl::string_view> streams) const;
  // The key under which decodes may share a Synthesize: model identity and
  // latent shape. Parses the container only (errors as Decompress); does not
  // check that the stream belongs to any loaded model.
  static absl::StatusOr<std::string> BatchKey(absl::string_view stream);

  const CodecConfig& config() const { return config_; }
  const std::array<uint8_t, 8>& weights_hash() const { return weights_hash_; }
  torch::Device device() const { return device_; }

 private:
  Codec() = default;

  // Compress with kAutomaticDownscale (resolution_choice.cc).
  absl::StatusOr<std::string> CompressAtBestResolution(
      const image::Image& image, double quality,
      const EncodeOptions& options) const;

  // A header naming this model, in the oldest format that carries the
  // downscale (the y substreams may need a newer one).
  bitstream::StreamHeader NewHeader(uint32_t width, uint32_t height,
                                    uint8_t downscale_log2,
                                    double quality) const;

  // Index of the first of the N z tables that code a stream of this quality
  // (the nearest level's, with a density per level).
  int64_t ZTableOffset(uint16_t quality_code) const;

  // FAILED_PRECONDITION unless `header` names this model.
  absl::Status CheckModel(const bitstream::StreamHeader& header) const;

  // The float64 CPU copy of network_, made on first use (Float64Network()).
  HyperpriorNetwork Float64Network() const;

  CodecConfig config_;
  std::array<uint8_t, 8> weights_hash_{};
  mutable HyperpriorNetwork network_{nullptr};
  // The same weights in float64, for the hyper-synthesis of format-1 streams
  // and for SynthesisPrecision::kFloat64: float32 convolutions round
  // differently with 1 vs 2 threads and between instruction sets, which can
  // move a decoded value by 1; in float64 the differences stay far below the
  // 8-bit output rounding. Most decoders never need it, so it is made lazily.
  mutable absl::once_flag network_f64_once_;
  mutable HyperpriorNetwork network_f64_{nullptr};
  // Where the analysis (network_) and the synthesis run. The synthesis
  // network is network_ itself in float32 on the CPU or the device, else a
  // copy in the precision CodecOptions::synthesis asks for.
  torch::Device device_{torch::kCPU};
  mutable HyperpriorNetwork synthesis_network_{nullptr};
  // The hyper-synthesis of format-2 streams, exact on every machine; on a
  // CUDA device the same integers come from device_hyper_synthesis_.
  std::optional<IntegerHyperSynthesis> hyper_synthesis_;
  std::optional<TensorHyperSynthesis> device_hyper_synthesis_;
  std::vector<entropy::IntegerCdf> z_cdfs_;
};

// Freezes a training checkpoint into a model file: weights rounded to
// `dtype`, then the hyper-latent's integer CDF tables computed from the
// rounded weights and stored alongside them.
absl::StatusOr<TensorFile> MakeModelFile(const TensorFile& checkpoint,
                                         torch::ScalarType dtype,
                                         const std::string& model_id,
                                         int model_version);

}  // namespace vlmc::codec

#endif  // VLMC_MODELS_CODEC_CODEC_H_
