#include "bench/rate_accuracy/rate_codec.h"

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "bench/baseline_codecs.h"
#include "bench/rate_accuracy/ladders.h"
#include "models/codec/codec.h"

namespace vlmc::bench {
namespace {

double MillisecondsBetween(std::chrono::steady_clock::time_point a,
                           std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

class VlmcRateCodec : public RateCodec {
 public:
  VlmcRateCodec(std::unique_ptr<codec::Codec> codec, std::string model_path,
                codec::EncodeOptions options)
      : codec_(std::move(codec)),
        model_path_(std::move(model_path)),
        options_(options) {}

  const std::string& name() const override { return name_; }

  absl::StatusOr<CodedImage> Code(const image::Image& source,
                                  double point) const override {
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<std::string> stream =
        codec_->Compress(source, point, options_);
    if (!stream.ok()) return stream.status();
    const auto encoded = std::chrono::steady_clock::now();
    absl::StatusOr<image::Image> decoded = codec_->Decompress(*stream);
    if (!decoded.ok()) return decoded.status();
    CodedImage out;
    out.decode_ms =
        MillisecondsBetween(encoded, std::chrono::steady_clock::now());
    out.encode_ms = MillisecondsBetween(start, encoded);
    out.bytes = static_cast<int64_t>(stream->size());
    out.decoded = *std::move(decoded);
    out.encode_command = absl::StrCat(
        "vlmc encode in.png -q ", FormatPoint(point), DownscaleFlag(),
        " --model ", model_path_, " -o out.vlmc  (run in process)");
    out.decode_command = absl::StrCat("vlmc decode out.vlmc --model ",
                                      model_path_, " -o dec.png");
    return out;
  }

  absl::StatusOr<std::vector<std::string>> Describe() const override {
    return std::vector<std::string>{
        absl::StrCat("vlmc: model ", codec_->config().model_id, " v",
                     codec_->config().model_version, " (", model_path_, ")",
                     DownscaleFlag())};
  }

 private:
  const std::string name_ = kVlmcCodec;
  std::unique_ptr<codec::Codec> codec_;
  std::string model_path_;
  codec::EncodeOptions options_;

  // The CLI flag that reproduces options_.downscale ("" for the default).
  std::string DownscaleFlag() const {
    if (options_.downscale == 1) return "";
    return absl::StrCat(" --downscale ",
                        codec::DownscaleName(options_.downscale));
  }
};

class BaselineRateCodec : public RateCodec {
 public:
  BaselineRateCodec(BaselineCodec codec, std::vector<std::string> versions)
      : codec_(codec),
        name_(BaselineCodecName(codec)),
        versions_(std::move(versions)) {}

  const std::string& name() const override { return name_; }

  absl::StatusOr<CodedImage> Code(const image::Image& source,
                                  double point) const override {
    absl::StatusOr<BaselineResult> r =
        RunBaseline(codec_, source, static_cast<int>(point));
    if (!r.ok()) return r.status();
    CodedImage out;
    out.bytes = r->bytes;
    out.encode_ms = r->encode_ms;
    out.decode_ms = r->decode_ms;
    out.encode_command =
        absl::StrReplaceAll(r->encode_command, {{r->work_dir, "$WORK"}});
    out.decode_command =
        absl::StrReplaceAll(r->decode_command, {{r->work_dir, "$WORK"}});
    out.decoded = std::move(r->decoded);
    return out;
  }

  absl::StatusOr<std::vector<std::string>> Describe() const override {
    return versions_;
  }

 private:
  BaselineCodec codec_;
  std::string name_;
  std::vector<std::string> versions_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<RateCodec>> MakeVlmcRateCodec(
    const std::string& model_path, int downscale) {
  absl::StatusOr<std::unique_ptr<codec::Codec>> codec =
      codec::Codec::Load(model_path);
  if (!codec.ok()) return codec.status();
  codec::EncodeOptions options;
  options.downscale = downscale;
  return std::make_unique<VlmcRateCodec>(*std::move(codec), model_path,
                                         options);
}

absl::StatusOr<std::unique_ptr<RateCodec>> MakeBaselineRateCodec(
    const std::string& name) {
  absl::StatusOr<BaselineCodec> codec = ParseBaselineCodec(name);
  if (!codec.ok()) return codec.status();
  // Fails now, not after the first image, when a tool is missing.
  absl::StatusOr<std::vector<std::string>> versions =
      BaselineToolVersions(*codec);
  if (!versions.ok()) return versions.status();
  return std::make_unique<BaselineRateCodec>(*codec, *std::move(versions));
}

absl::StatusOr<std::unique_ptr<RateCodec>> MakeRateCodec(
    const std::string& name, const std::string& vlmc_model_path,
    int vlmc_downscale) {
  if (name == kVlmcCodec)
    return MakeVlmcRateCodec(vlmc_model_path, vlmc_downscale);
  return MakeBaselineRateCodec(name);
}

}  // namespace vlmc::bench
