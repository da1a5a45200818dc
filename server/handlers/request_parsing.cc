#include "server/handlers/request_parsing.h"

#include <cmath>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "models/image/image_io.h"

namespace vlmc::service {

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

absl::StatusOr<ratecontrol::RateTarget> ToRateTarget(
    const v1::RateTarget& rate) {
  ratecontrol::RateTarget target;
  switch (rate.target_case()) {
    case v1::RateTarget::kQuality:
      target.kind = ratecontrol::RateTarget::Kind::kQuality;
      target.value = rate.quality();
      if (!(target.value >= 0.0 && target.value <= 1.0)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "rate.quality ", rate.quality(), " is outside [0, 1]"));
      }
      return target;
    case v1::RateTarget::kTargetBpp:
      target.kind = ratecontrol::RateTarget::Kind::kTargetBpp;
      target.value = rate.target_bpp();
      if (!(target.value > 0.0 && std::isfinite(target.value))) {
        return absl::InvalidArgumentError(absl::StrCat(
            "rate.target_bpp ", rate.target_bpp(), " must be positive"));
      }
      return target;
    case v1::RateTarget::kMaxBytes:
      target.kind = ratecontrol::RateTarget::Kind::kMaxBytes;
      target.value = static_cast<double>(rate.max_bytes());
      if (rate.max_bytes() == 0) {
        return absl::InvalidArgumentError("rate.max_bytes must be at least 1");
      }
      return target;
    case v1::RateTarget::TARGET_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError(
      "the request has no rate target (set rate.quality, rate.target_bpp or "
      "rate.max_bytes)");
}

absl::StatusOr<const ServedModel*> ResolveModel(
    const ModelRegistry& models, const v1::ModelSelector& selector) {
  return models.Resolve(selector.model_id(), selector.version());
}

}  // namespace vlmc::service
