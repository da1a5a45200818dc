#ifndef VLMC_SERVER_HANDLERS_REQUEST_PARSING_H_
#define VLMC_SERVER_HANDLERS_REQUEST_PARSING_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "models/image/image.h"
#include "models/ratecontrol/rate_search.h"
#include "server/model_registry.h"
#include "server/service_context.h"
#include "vlmc/v1/codec.pb.h"

namespace vlmc::service {

// Cheap checks of an ImageInput that need no decoding: present, non-empty,
// raw shape within `limits` and matching its data. INVALID_ARGUMENT if not.
absl::Status CheckImageInput(const v1::ImageInput& input,
                             const RequestLimits& limits);

// Decodes the image (PNG/JPEG dimensions are checked against `limits` before
// pixel memory is allocated). INVALID_ARGUMENT for anything unusable.
absl::StatusOr<image::Image> ImageFromInput(const v1::ImageInput& input,
                                            const RequestLimits& limits);

// The rate target, INVALID_ARGUMENT when unset or out of range.
absl::StatusOr<ratecontrol::RateTarget> ToRateTarget(
    const v1::RateTarget& rate);

absl::StatusOr<const ServedModel*> ResolveModel(
    const ModelRegistry& models, const v1::ModelSelector& selector);

}  // namespace vlmc::service

#endif  // VLMC_SERVER_HANDLERS_REQUEST_PARSING_H_
