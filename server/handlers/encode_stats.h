#ifndef VLMC_SERVER_HANDLERS_ENCODE_STATS_H_
#define VLMC_SERVER_HANDLERS_ENCODE_STATS_H_

#include <cstddef>

#include "absl/time/time.h"
#include "models/image/image.h"
#include "server/model_registry.h"
#include "vlmc/v1/codec.pb.h"

namespace vlmc::service {

// What one finished encode (rate or task search) reports.
struct EncodeOutcome {
  size_t stream_bytes = 0;
  double bpp = 0;
  double quality = 0;
  int downscale = 1;
  bool target_met = true;
  int passes = 0;
};

// Fills EncodeStats; encode_ms counts from `start` (queueing excluded).
void FillEncodeStats(const image::Image& image, const ServedModel& model,
                     const EncodeOutcome& outcome, absl::Time start,
                     v1::EncodeStats* stats);

}  // namespace vlmc::service

#endif  // VLMC_SERVER_HANDLERS_ENCODE_STATS_H_
