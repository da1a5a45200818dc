#include "server/handlers/encode_handler.h"

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "server/handlers/encode_stats.h"
#include "server/handlers/request_parsing.h"

namespace vlmc::service {

absl::StatusOr<EncodeHandler::Admitted> EncodeHandler::Admit(
    const Request& request) const {
  absl::Status image = CheckImageInput(request.image(), context_.limits);
  if (!image.ok()) return image;
  absl::StatusOr<ratecontrol::RateTarget> target = ToRateTarget(request.rate());
  if (!target.ok()) return target.status();
  absl::StatusOr<const ServedModel*> model =
      ResolveModel(*context_.models, request.model());
  if (!model.ok()) return model.status();
  return Admitted{*model, *target};
}

absl::Status EncodeHandler::Run(const Request& request,
                                const Admitted& admitted,
                                const StopCheck& should_stop,
                                Response* response) const {
  const absl::Time start = absl::Now();
  absl::StatusOr<image::Image> image =
      ImageFromInput(request.image(), context_.limits);
  if (!image.ok()) return image.status();
  ratecontrol::RateSearchOptions options;
  options.should_stop = should_stop;
  absl::StatusOr<ratecontrol::EncodedImage> encoded = ratecontrol::EncodeAtRate(
      *admitted.model->codec, *image, admitted.target, options);
  if (!encoded.ok()) return encoded.status();

  FillEncodeStats(*image, *admitted.model,
                  {encoded->stream.size(), encoded->bpp, encoded->quality,
                   encoded->downscale, encoded->target_met, encoded->passes},
                  start, response->mutable_stats());
  response->set_stream(std::move(encoded->stream));
  context_.metrics->RecordEncodedBpp(encoded->bpp);
  return absl::OkStatus();
}

}  // namespace vlmc::service
