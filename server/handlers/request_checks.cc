#include "server/handlers/request_checks.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "models/image/image_io.h"

namespace vlmc::service {
namespace {

absl::Status CheckFidelity(const char* field, double value) {
  if (value > 0.0 && value <= 1.0) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("task.", field, " ", value, " is outside (0, 1]"));
}

}  // namespace

absl::Status CheckImageInput(const v1::ImageInput& input,
                             const RequestLimits& limits) {
  switch (input.kind_case()) {
    case v1::ImageInput::KIND_NOT_SET:
      return absl::InvalidArgumentError(
          "the request has no image (set image.encoded or image.raw)");
    case v1::ImageInput::kEncoded:
      if (input.encoded().empty()) {
        return absl::InvalidArgumentError("image.encoded is empty");
      }
      return absl::OkStatus();
    case v1::ImageInput::kRaw: {
      const v1::RawImage& raw = input.raw();
      absl::Status limits_ok = image::CheckDecodeLimits(
          "raw", raw.width(), raw.height(), limits.ForImages());
      if (!limits_ok.ok()) return limits_ok;
      const uint64_t expected = uint64_t{raw.width()} * raw.height() * 3;
      if (raw.data().size() != expected) {
        return absl::InvalidArgumentError(absl::StrCat(
            "image.raw.data has ", raw.data().size(), " bytes, expected ",
            expected, " for ", raw.width(), "x", raw.height(), " RGB8"));
      }
      return absl::OkStatus();
    }
  }
  return absl::InvalidArgumentError("unknown image kind");
}

absl::StatusOr<image::Image> ImageFromInput(const v1::ImageInput& input,
                                            const RequestLimits& limits) {
  absl::Status valid = CheckImageInput(input, limits);
  if (!valid.ok()) return valid;
  if (input.has_raw()) {
    // CheckImageInput bounded the dimensions, so they fit an int.
    return image::FromRawRgb(input.raw().data(),
                             static_cast<int>(input.raw().width()),
                             static_cast<int>(input.raw().height()));
  }
  absl::StatusOr<image::Image> decoded =
      image::DecodeImage(input.encoded(), limits.ForImages());
  if (!decoded.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("image.encoded: ", decoded.status().message()));
  }
  return decoded;
}

absl::Status CheckRateTarget(const v1::RateTarget& rate) {
  if (!v1::CodedResolution_IsValid(rate.resolution())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "rate.resolution ", rate.resolution(), " is not a CodedResolution"));
  }
  switch (rate.target_case()) {
    case v1::RateTarget::kQuality:
      if (!(rate.quality() >= 0.0 && rate.quality() <= 1.0)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "rate.quality ", rate.quality(), " is outside [0, 1]"));
      }
      return absl::OkStatus();
    case v1::RateTarget::kTargetBpp:
      if (!(rate.target_bpp() > 0.0 && std::isfinite(rate.target_bpp()))) {
        return absl::InvalidArgumentError(absl::StrCat(
            "rate.target_bpp ", rate.target_bpp(), " must be positive"));
      }
      return absl::OkStatus();
    case v1::RateTarget::kMaxBytes:
      if (rate.max_bytes() == 0) {
        return absl::InvalidArgumentError("rate.max_bytes must be at least 1");
      }
      return absl::OkStatus();
    case v1::RateTarget::TARGET_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError(
      "the request has no rate target (set rate.quality, rate.target_bpp or "
      "rate.max_bytes)");
}

absl::StatusOr<bitstream::ParsedStream> ParseDecodeRequest(
    const v1::DecodeRequest& request, const RequestLimits& limits,
    uint64_t max_codec_pixels) {
  if (request.stream().empty()) {
    return absl::InvalidArgumentError("the request has no stream");
  }
  if (!v1::OutputFormat_IsValid(request.format())) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown output format ", request.format()));
  }
  bitstream::Limits stream_limits;
  stream_limits.max_width = stream_limits.max_height =
      static_cast<uint32_t>(limits.max_image_dimension);
  stream_limits.max_pixels =
      std::min<uint64_t>(limits.max_image_pixels, max_codec_pixels);
  return bitstream::ParseStream(request.stream(), stream_limits);
}

absl::StatusOr<TaskTarget> ToTaskTarget(
    const v1::EncodeForTaskRequest& request) {
  TaskTarget target;
  switch (request.task().target_case()) {
    case v1::TaskSpec::kMinTokenCosine:
      target.metric = ratecontrol::TaskMetric::kTokenCosine;
      target.min_fidelity = request.task().min_token_cosine();
      if (absl::Status s =
              CheckFidelity("min_token_cosine", target.min_fidelity);
          !s.ok()) {
        return s;
      }
      break;
    case v1::TaskSpec::kMinDetectionAgreement:
      target.metric = ratecontrol::TaskMetric::kDetectionAgreement;
      target.min_fidelity = request.task().min_detection_agreement();
      if (absl::Status s =
              CheckFidelity("min_detection_agreement", target.min_fidelity);
          !s.ok()) {
        return s;
      }
      break;
    case v1::TaskSpec::TARGET_NOT_SET:
      return absl::InvalidArgumentError(
          "the request has no task target (set task.min_token_cosine or "
          "task.min_detection_agreement)");
  }
  if (request.max_passes() == 1 || request.max_passes() > kMaxTaskPasses) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_passes ", request.max_passes(), " must be 0 (",
                     kDefaultTaskPasses, ") or in [2, ", kMaxTaskPasses, "]"));
  }
  target.max_passes = request.max_passes() == 0
                          ? kDefaultTaskPasses
                          : static_cast<int>(request.max_passes());
  return target;
}

}  // namespace vlmc::service
