#include "server/handlers/info_handler.h"

namespace vlmc::service {

void InfoHandler::Fill(v1::GetInfoResponse* response) const {
  for (const ServedModel& model : context_.models->models()) {
    v1::ModelInfo& info = *response->add_models();
    info.set_model_id(model.model_id);
    info.set_version(model.version);
    info.set_weights_sha256_prefix(model.weights_sha256_prefix);
    info.set_min_quality(0.0);
    info.set_max_quality(1.0);
    info.set_is_default(model.is_default);
  }
  response->set_max_image_pixels(context_.limits.max_image_pixels);
  response->set_max_image_dimension(context_.limits.max_image_dimension);
  response->set_max_message_bytes(context_.limits.max_message_bytes);
  response->set_device(context_.device);
  response->set_worker_threads(context_.workers);
  response->set_queue_capacity(context_.queue_capacity);
  response->set_task_encoding_available(context_.task_evaluator != nullptr);
  response->set_server_version(VLMC_SERVER_VERSION);
}

}  // namespace vlmc::service
