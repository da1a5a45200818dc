#ifndef VLMC_SERVER_HANDLERS_REQUEST_PARSING_H_
#define VLMC_SERVER_HANDLERS_REQUEST_PARSING_H_

#include "absl/status/statusor.h"
#include "models/ratecontrol/rate_search.h"
#include "server/handlers/request_checks.h"
#include "server/model_registry.h"
#include "vlmc/v1/codec.pb.h"

namespace vlmc::service {

// The rate target, INVALID_ARGUMENT when unset or out of range.
absl::StatusOr<ratecontrol::RateTarget> ToRateTarget(
    const v1::RateTarget& rate);

absl::StatusOr<const ServedModel*> ResolveModel(
    const ModelRegistry& models, const v1::ModelSelector& selector);

}  // namespace vlmc::service

#endif  // VLMC_SERVER_HANDLERS_REQUEST_PARSING_H_
