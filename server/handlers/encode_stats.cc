#include "server/handlers/encode_stats.h"

#include "absl/time/clock.h"

namespace vlmc::service {

void FillEncodeStats(const image::Image& image, const ServedModel& model,
                     const EncodeOutcome& outcome, absl::Time start,
                     v1::EncodeStats* stats) {
  stats->set_width(image.width);
  stats->set_height(image.height);
  stats->set_stream_bytes(outcome.stream_bytes);
  stats->set_bpp(outcome.bpp);
  stats->set_quality(outcome.quality);
  stats->set_downscale(outcome.downscale);
  stats->set_target_met(outcome.target_met);
  stats->set_encode_passes(outcome.passes);
  stats->set_encode_ms(absl::ToDoubleMilliseconds(absl::Now() - start));
  stats->set_model_id(model.model_id);
  stats->set_model_version(model.version);
}

}  // namespace vlmc::service
