// The `--server` side of encode, decode, info, eval and detect.
#include "client/remote_commands.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/codec_client.h"
#include "client/command_util.h"
#include "client/lvlm_client.h"
#include "client/remote_flags.h"
#include "models/codec/codec.h"
#include "models/image/png_codec.h"
#include "models/util/file_io.h"
#include "models/util/sha256.h"

namespace vlmc::cli {
namespace {

absl::StatusOr<std::unique_ptr<CodecClient>> ConnectCodec(const Flags& flags) {
  absl::StatusOr<ClientOptions> options = ClientOptionsFromFlags(flags);
  if (!options.ok()) return options.status();
  return CodecClient::Create(flags.Get("server"), *options);
}

// --model-id and --model-version; empty means the server's default model.
absl::StatusOr<v1::ModelSelector> ModelSelectorFromFlags(const Flags& flags) {
  absl::StatusOr<int64_t> version = flags.GetInt("model-version");
  if (!version.ok()) return version.status();
  if (*version < 0 || *version > 65535) {
    return absl::InvalidArgumentError("--model-version must be in [0, 65535]");
  }
  v1::ModelSelector selector;
  selector.set_model_id(flags.Get("model-id"));
  selector.set_version(static_cast<uint32_t>(*version));
  return selector;
}

// An EncodeOptions::downscale as the request field.
v1::CodedResolution ToCodedResolution(int downscale) {
  switch (downscale) {
    case 2:
      return v1::CODED_RESOLUTION_HALF;
    case 4:
      return v1::CODED_RESOLUTION_QUARTER;
    case codec::kAutomaticDownscale:
      return v1::CODED_RESOLUTION_AUTO;
    default:
      return v1::CODED_RESOLUTION_FULL;
  }
}

// Encode (quality, bpp or byte target) or EncodeForTask (task target).
absl::StatusOr<EncodeOutcome> EncodeOnServer(CodecClient& client,
                                             const v1::ModelSelector& model,
                                             v1::CodedResolution resolution,
                                             std::string image,
                                             const EncodeTarget& target,
                                             v1::EncodeStats& stats) {
  EncodeOutcome outcome;
  if (target.kind == EncodeTarget::Kind::kTask) {
    v1::EncodeForTaskRequest request;
    request.mutable_image()->set_encoded(std::move(image));
    *request.mutable_model() = model;
    if (target.detection) {
      request.mutable_task()->set_min_detection_agreement(target.value);
    } else {
      request.mutable_task()->set_min_token_cosine(target.value);
    }
    request.set_max_passes(static_cast<uint32_t>(target.max_passes));
    absl::StatusOr<v1::EncodeForTaskResponse> response =
        client.EncodeForTask(request);
    if (!response.ok()) return response.status();
    outcome.stream = std::move(*response->mutable_stream());
    outcome.fidelity = response->achieved_fidelity();
    stats = response->stats();
  } else {
    v1::EncodeRequest request;
    request.mutable_image()->set_encoded(std::move(image));
    *request.mutable_model() = model;
    v1::RateTarget& rate = *request.mutable_rate();
    rate.set_resolution(resolution);
    if (target.kind == EncodeTarget::Kind::kTargetBpp) {
      rate.set_target_bpp(target.value);
    } else if (target.kind == EncodeTarget::Kind::kMaxBytes) {
      rate.set_max_bytes(static_cast<uint64_t>(target.value));
    } else {
      rate.set_quality(target.value);
    }
    absl::StatusOr<v1::EncodeResponse> response = client.Encode(request);
    if (!response.ok()) return response.status();
    outcome.stream = std::move(*response->mutable_stream());
    stats = response->stats();
  }
  outcome.width = static_cast<int>(stats.width());
  outcome.height = static_cast<int>(stats.height());
  outcome.quality = stats.quality();
  outcome.downscale =
      static_cast<int>(std::max<uint32_t>(1, stats.downscale()));
  outcome.target_met = stats.target_met();
  outcome.passes = static_cast<int>(stats.encode_passes());
  if (outcome.width <= 0 || outcome.height <= 0) {
    return absl::DataLossError("the server's reply has no image size");
  }
  return outcome;
}

}  // namespace

int RemoteEncode(const Flags& flags, const std::string& input_path,
                 const EncodeTarget& target, int downscale) {
  const std::string kCmd = "encode";
  absl::StatusOr<std::unique_ptr<CodecClient>> client = ConnectCodec(flags);
  if (!client.ok()) return UsageError(kCmd, client.status());
  absl::StatusOr<v1::ModelSelector> model = ModelSelectorFromFlags(flags);
  if (!model.ok()) return UsageError(kCmd, model.status());
  absl::StatusOr<std::string> image = ReadInput(input_path);
  if (!image.ok()) return Fail(kCmd, image.status());

  const auto start = Clock::now();
  v1::EncodeStats stats;
  absl::StatusOr<EncodeOutcome> outcome =
      EncodeOnServer(**client, *model, ToCodedResolution(downscale),
                     *std::move(image), target, stats);
  if (!outcome.ok()) return Fail(kCmd, outcome.status());
  const double round_trip_ms = MillisecondsSince(start);
  if (absl::Status s = CheckTargetMet(target, *outcome); !s.ok())
    return Fail(kCmd, s);
  if (absl::Status s = WriteOutput(flags.Get("o"), outcome->stream); !s.ok())
    return Fail(kCmd, s);
  PrintEncodeReport(
      ReportStream(flags.Get("o")), flags.Get("o"), target, *outcome,
      absl::StrFormat(
          "%.1f ms on the server (%.1f ms round trip), model %s v%u",
          stats.encode_ms(), round_trip_ms, stats.model_id(),
          stats.model_version()));
  return 0;
}

int RemoteDecode(const Flags& flags, const std::string& stream_path) {
  const std::string kCmd = "decode";
  absl::StatusOr<std::unique_ptr<CodecClient>> client = ConnectCodec(flags);
  if (!client.ok()) return UsageError(kCmd, client.status());
  absl::StatusOr<std::string> stream = ReadInput(stream_path);
  if (!stream.ok()) return Fail(kCmd, stream.status());

  v1::DecodeRequest request;
  request.set_stream(std::move(*stream));
  request.set_format(v1::OUTPUT_FORMAT_PNG);
  const auto start = Clock::now();
  absl::StatusOr<v1::DecodeResponse> response = (*client)->Decode(request);
  if (!response.ok()) return Fail(kCmd, response.status());
  const double round_trip_ms = MillisecondsSince(start);
  if (absl::Status s = WriteOutput(flags.Get("o"), response->data()); !s.ok()) {
    return Fail(kCmd, s);
  }
  std::FILE* report = ReportStream(flags.Get("o"));
  std::fprintf(report,
               "%s: %ux%u from %zu bytes, %.1f ms on the server (%.1f ms round "
               "trip)\n",
               flags.Get("o").c_str(), response->width(), response->height(),
               request.stream().size(), response->decode_ms(), round_trip_ms);
  if (flags.GetBool("sha256")) {
    absl::StatusOr<image::Image> img = image::DecodePng(response->data());
    if (!img.ok()) return Fail(kCmd, img.status());
    const std::string pixels(img->rgb.begin(), img->rgb.end());
    std::fprintf(report, "pixels sha256: %s\n",
                 util::ToHex(util::Sha256(pixels)).c_str());
  }
  return 0;
}

int RemoteInfo(const Flags& flags) {
  const std::string kCmd = "info";
  absl::StatusOr<std::unique_ptr<CodecClient>> client = ConnectCodec(flags);
  if (!client.ok()) return UsageError(kCmd, client.status());
  absl::StatusOr<v1::GetInfoResponse> info = (*client)->GetInfo();
  if (!info.ok()) return Fail(kCmd, info.status());
  std::printf(
      "server: %s (%s)\ndevice: %s, %u worker threads, queue capacity "
      "%u\nlimits: %u px per side, %llu pixels, %llu-byte unary "
      "messages\ntask encoding: %s\nmodels:\n",
      flags.Get("server").c_str(), info->server_version().c_str(),
      info->device().c_str(), info->worker_threads(), info->queue_capacity(),
      info->max_image_dimension(),
      static_cast<unsigned long long>(info->max_image_pixels()),
      static_cast<unsigned long long>(info->max_message_bytes()),
      info->task_encoding_available() ? "available"
                                      : "not available (no semantic models)");
  for (const v1::ModelInfo& model : info->models()) {
    std::printf("  %s v%u%s  weights %s  quality [%g, %g]\n",
                model.model_id().c_str(), model.version(),
                model.is_default() ? " (default)" : "",
                model.weights_sha256_prefix().c_str(), model.min_quality(),
                model.max_quality());
  }
  return 0;
}

absl::StatusOr<RoundTripFn> RemoteRoundTrip(const Flags& flags) {
  absl::StatusOr<int> downscale = codec::ParseDownscale(flags.Get("downscale"));
  if (!downscale.ok()) return downscale.status();
  const v1::CodedResolution resolution = ToCodedResolution(*downscale);
  // Named after the request, as local eval names its rows.
  const std::string name_suffix =
      flags.Get("downscale") == "1"
          ? std::string()
          : absl::StrCat("-down", flags.Get("downscale"));
  absl::StatusOr<std::unique_ptr<CodecClient>> connected = ConnectCodec(flags);
  if (!connected.ok()) return connected.status();
  absl::StatusOr<v1::ModelSelector> model = ModelSelectorFromFlags(flags);
  if (!model.ok()) return model.status();
  std::shared_ptr<CodecClient> client = std::move(*connected);
  return [client, model = *model, resolution, name_suffix](
             const image::Image& original,
             double quality) -> absl::StatusOr<RoundTrip> {
    v1::EncodeRequest encode;
    v1::RawImage* raw = encode.mutable_image()->mutable_raw();
    raw->set_width(original.width);
    raw->set_height(original.height);
    raw->set_data(original.rgb.data(), original.rgb.size());
    encode.mutable_rate()->set_quality(quality);
    encode.mutable_rate()->set_resolution(resolution);
    *encode.mutable_model() = model;
    const auto start = Clock::now();
    absl::StatusOr<v1::EncodeResponse> encoded = client->Encode(encode);
    if (!encoded.ok()) return encoded.status();
    RoundTrip trip;
    trip.encode_ms = MillisecondsSince(start);
    trip.codec_name = absl::StrCat(encoded->stats().model_id(), "-v",
                                   encoded->stats().model_version());
    trip.codec_name += name_suffix;
    trip.stream_bytes = encoded->stream().size();

    v1::DecodeRequest decode;
    decode.set_stream(std::move(*encoded->mutable_stream()));
    decode.set_format(v1::OUTPUT_FORMAT_RAW_RGB8);
    const auto decode_start = Clock::now();
    absl::StatusOr<v1::DecodeResponse> decoded = client->Decode(decode);
    if (!decoded.ok()) return decoded.status();
    trip.decode_ms = MillisecondsSince(decode_start);
    absl::StatusOr<image::Image> img =
        image::FromRawRgb(decoded->data(), static_cast<int>(decoded->width()),
                          static_cast<int>(decoded->height()));
    if (!img.ok()) return img.status();
    trip.decoded = std::move(*img);
    return trip;
  };
}

absl::StatusOr<DetectFn> RemoteDetector(const Flags& flags) {
  absl::StatusOr<ClientOptions> options = ClientOptionsFromFlags(flags);
  if (!options.ok()) return options.status();
  absl::StatusOr<std::unique_ptr<LvlmClient>> connected =
      LvlmClient::Create(flags.Get("server"), *options);
  if (!connected.ok()) return connected.status();
  std::shared_ptr<LvlmClient> client = std::move(*connected);
  v1::InferRequest request;
  request.set_task("detect");
  (*request.mutable_options())["detector"] = flags.Get("model");
  (*request.mutable_options())["min_score"] = flags.Get("threshold");
  return [client, request](const std::string& image_path)
             -> absl::StatusOr<std::vector<semantic::Detection>> {
    absl::StatusOr<std::string> image = util::ReadFile(image_path);
    if (!image.ok()) return image.status();
    v1::InferRequest with_image = request;
    with_image.set_image(std::move(*image));
    absl::StatusOr<v1::InferResponse> answer = client->Infer(with_image);
    if (!answer.ok()) return answer.status();
    std::vector<semantic::Detection> detections;
    for (const v1::Box& box : answer->boxes()) {
      detections.push_back({box.class_id(), box.score(), box.x0(), box.y0(),
                            box.x1(), box.y1()});
    }
    return detections;
  };
}

}  // namespace vlmc::cli
