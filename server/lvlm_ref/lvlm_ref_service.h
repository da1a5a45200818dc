#ifndef VLMC_SERVER_LVLM_REF_LVLM_REF_SERVICE_H_
#define VLMC_SERVER_LVLM_REF_LVLM_REF_SERVICE_H_

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "models/image/image.h"
#include "models/semantic/detector.h"
#include "vlmc/v1/lvlm.grpc.pb.h"

namespace vlmc::lvlm_ref {

struct ServiceOptions {
  // Holds centernet.{json,bin} and nanodet.{json,bin}.
  std::string semantic_model_dir = semantic::DefaultSemanticModelDir();
  // Bounds on input images, for tensors and image files alike.
  image::DecodeLimits limits;
};

// The reference LvlmService (lvlm.proto), backed by the COCO detectors: task
// "detect" answers with boxes, COCO class names and a one-line summary
// ("2 objects: person 0.91, dog 0.85"). Options: "detector" ("centernet",
// the default, or "nanodet") and "min_score" (in [0, 1], default 0.3).
// Other tasks give UNIMPLEMENTED naming the supported ones; a malformed
// request, INVALID_ARGUMENT. Requests are served one at a time (the
// detectors are not thread-safe).
class LvlmRefService final : public v1::LvlmService::Service {
 public:
  // Loads both detectors; a missing model file gives NOT_FOUND with a hint
  // to run scripts/fetch-models.sh.
  static absl::StatusOr<std::unique_ptr<LvlmRefService>> Create(
      const ServiceOptions& options);

  grpc::Status Infer(grpc::ServerContext* context,
                     const v1::InferRequest* request,
                     v1::InferResponse* response) override;

 private:
  LvlmRefService(const ServiceOptions& options,
                 std::unique_ptr<semantic::Detector> centernet,
                 std::unique_ptr<semantic::Detector> nanodet);

  absl::StatusOr<v1::InferResponse> Detect(const v1::InferRequest& request);

  const ServiceOptions options_;
  absl::Mutex mutex_;
  const std::unique_ptr<semantic::Detector> centernet_
      ABSL_PT_GUARDED_BY(mutex_);
  const std::unique_ptr<semantic::Detector> nanodet_ ABSL_PT_GUARDED_BY(mutex_);
};

}  // namespace vlmc::lvlm_ref

#endif  // VLMC_SERVER_LVLM_REF_LVLM_REF_SERVICE_H_
