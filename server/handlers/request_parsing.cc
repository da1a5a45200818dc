#include "server/handlers/request_parsing.h"

namespace vlmc::service {

absl::StatusOr<ratecontrol::RateTarget> ToRateTarget(
    const v1::RateTarget& rate) {
  absl::Status valid = CheckRateTarget(rate);
  if (!valid.ok()) return valid;
  ratecontrol::RateTarget target;
  switch (rate.resolution()) {
    case v1::CODED_RESOLUTION_HALF:
      target.downscale = 2;
      break;
    case v1::CODED_RESOLUTION_QUARTER:
      target.downscale = 4;
      break;
    case v1::CODED_RESOLUTION_AUTO:
      target.downscale = codec::kAutomaticDownscale;
      break;
    default:
      target.downscale = 1;
      break;
  }
  switch (rate.target_case()) {
    case v1::RateTarget::kQuality:
      target.kind = ratecontrol::RateTarget::Kind::kQuality;
      target.value = rate.quality();
      break;
    case v1::RateTarget::kTargetBpp:
      target.kind = ratecontrol::RateTarget::Kind::kTargetBpp;
      target.value = rate.target_bpp();
      break;
    default:
      target.kind = ratecontrol::RateTarget::Kind::kMaxBytes;
      target.value = static_cast<double>(rate.max_bytes());
      break;
  }
  return target;
}

absl::StatusOr<const ServedModel*> ResolveModel(
    const ModelRegistry& models, const v1::ModelSelector& selector) {
  return models.Resolve(selector.model_id(), selector.version());
}

}  // namespace vlmc::service
