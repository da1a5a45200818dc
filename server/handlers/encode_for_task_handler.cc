#include "server/handlers/encode_for_task_handler.h"

#include <memory>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "models/ratecontrol/task_search.h"
#include "server/handlers/encode_stats.h"
#include "server/handlers/request_parsing.h"

namespace vlmc::service {

absl::StatusOr<EncodeForTaskHandler::Admitted> EncodeForTaskHandler::Admit(
    const Request& request) const {
  if (context_.task_evaluator == nullptr) {
    return absl::FailedPreconditionError(context_.task_unavailable_reason);
  }
  absl::Status image = CheckImageInput(request.image(), context_.limits);
  if (!image.ok()) return image;
  absl::StatusOr<TaskTarget> target = ToTaskTarget(request);
  if (!target.ok()) return target.status();
  Admitted admitted;
  admitted.metric = target->metric;
  admitted.min_fidelity = target->min_fidelity;
  admitted.max_passes = target->max_passes;
  absl::StatusOr<const ServedModel*> model =
      ResolveModel(*context_.models, request.model());
  if (!model.ok()) return model.status();
  admitted.model = *model;
  return admitted;
}

absl::Status EncodeForTaskHandler::Run(const Request& request,
                                       const Admitted& admitted,
                                       const StopCheck& should_stop,
                                       Response* response) const {
  const absl::Time start = absl::Now();
  absl::StatusOr<image::Image> image =
      ImageFromInput(request.image(), context_.limits);
  if (!image.ok()) return image.status();
  absl::StatusOr<std::unique_ptr<ratecontrol::FidelityProbe>> probe =
      context_.task_evaluator->MakeProbe(admitted.metric, *image);
  if (!probe.ok()) return probe.status();
  ratecontrol::TaskSearchOptions options;
  options.min_fidelity = admitted.min_fidelity;
  options.max_passes = admitted.max_passes;
  options.should_stop = should_stop;
  absl::StatusOr<ratecontrol::TaskEncodedImage> encoded =
      ratecontrol::EncodeForTask(*admitted.model->codec, *image, **probe,
                                 options);
  if (!encoded.ok()) return encoded.status();

  FillEncodeStats(*image, *admitted.model,
                  {encoded->stream.size(), encoded->bpp, encoded->quality,
                   /*downscale=*/1, encoded->target_met, encoded->passes},
                  start, response->mutable_stats());
  response->set_stream(std::move(encoded->stream));
  response->set_achieved_fidelity(encoded->fidelity);
  response->set_target_met(encoded->target_met);
  context_.metrics->RecordEncodedBpp(encoded->bpp);
  return absl::OkStatus();
}

}  // namespace vlmc::service
