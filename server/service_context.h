#ifndef VLMC_SERVER_SERVICE_CONTEXT_H_
#define VLMC_SERVER_SERVICE_CONTEXT_H_

#include <cstdint>
#include <functional>
#include <string>

#include "models/image/image.h"
#include "models/ratecontrol/task_fidelity.h"
#include "server/auth/token_table.h"
#include "server/handlers/request_checks.h"
#include "server/metrics.h"
#include "server/model_registry.h"
#include "server/work_queue.h"

namespace vlmc::service {

// What the RPC handlers share; owned by the server, outlives every call.
struct ServiceContext {
  const ModelRegistry* models = nullptr;
  // Null when the semantic models could not be loaded; then
  // task_unavailable_reason says why and how to fix it.
  ratecontrol::TaskEvaluator* task_evaluator = nullptr;
  std::string task_unavailable_reason;
  Metrics* metrics = nullptr;
  WorkQueue* queue = nullptr;
  // The bearer tokens every call must carry; null: none needed.
  const auth::TokenTable* tokens = nullptr;
  RequestLimits limits;
  std::string device;
  int workers = 0;
  int queue_capacity = 0;
  int png_compression_level = 1;  // of Decode's OUTPUT_FORMAT_PNG
};

// Polled by long computations; true means stop (deadline passed or the call
// was cancelled).
using StopCheck = std::function<bool()>;

}  // namespace vlmc::service

#endif  // VLMC_SERVER_SERVICE_CONTEXT_H_
