#include "server/lvlm_ref/lvlm_ref_service.h"

#include <algorithm>
#include <chrono>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "models/semantic/coco_classes.h"
#include "proto/rpc/grpc_status.h"
#include "server/lvlm_ref/infer_input.h"

namespace vlmc::lvlm_ref {
namespace {

constexpr char kDetectTask[] = "detect";
constexpr char kSupportedTasks[] = "supported tasks: detect";
constexpr float kDefaultMinScore = 0.3f;

struct DetectOptions {
  semantic::DetectorKind detector = semantic::DetectorKind::kCenterNet;
  float min_score = kDefaultMinScore;
};

absl::StatusOr<DetectOptions> ParseDetectOptions(
    const google::protobuf::Map<std::string, std::string>& options) {
  DetectOptions parsed;
  for (const auto& [key, value] : options) {
    if (key == "detector") {
      absl::StatusOr<semantic::DetectorKind> kind =
          semantic::ParseDetectorKind(value);
      if (!kind.ok()) return kind.status();
      parsed.detector = *kind;
    } else if (key == "min_score") {
      if (!absl::SimpleAtof(value, &parsed.min_score) ||
          !(parsed.min_score >= 0.0f && parsed.min_score <= 1.0f)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "option min_score must be a number in [0, 1], got '", value, "'"));
      }
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown option '", key,
                       "' for task detect (known: detector, min_score)"));
    }
  }
  return parsed;
}

// "no objects", "1 object: person 0.91", "2 objects: person 0.91, dog 0.85".
std::string Summary(const std::vector<semantic::Detection>& detections) {
  if (detections.empty()) return "no objects";
  std::string text = absl::StrCat(
      detections.size(), detections.size() == 1 ? " object:" : " objects:");
  for (size_t i = 0; i < detections.size(); ++i) {
    absl::StrAppendFormat(&text, "%s %s %.2f", i == 0 ? "" : ",",
                          semantic::CocoClassName(detections[i].class_id),
                          detections[i].score);
  }
  return text;
}

}  // namespace

absl::StatusOr<std::unique_ptr<LvlmRefService>> LvlmRefService::Create(
    const ServiceOptions& options) {
  absl::StatusOr<std::unique_ptr<semantic::Detector>> centernet =
      semantic::Detector::Load(semantic::DetectorKind::kCenterNet,
                               options.semantic_model_dir);
  if (!centernet.ok()) return centernet.status();
  absl::StatusOr<std::unique_ptr<semantic::Detector>> nanodet =
      semantic::Detector::Load(semantic::DetectorKind::kNanoDet,
                               options.semantic_model_dir);
  if (!nanodet.ok()) return nanodet.status();
  return std::unique_ptr<LvlmRefService>(
      new LvlmRefService(options, std::move(*centernet), std::move(*nanodet)));
}

LvlmRefService::LvlmRefService(const ServiceOptions& options,
                               std::unique_ptr<semantic::Detector> centernet,
                               std::unique_ptr<semantic::Detector> nanodet)
    : options_(options),
      centernet_(std::move(centernet)),
      nanodet_(std::move(nanodet)) {}

grpc::Status LvlmRefService::Infer(grpc::ServerContext* /*context*/,
                                   const v1::InferRequest* request,
                                   v1::InferResponse* response) {
  if (request->task().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        absl::StrCat("no task given; ", kSupportedTasks));
  }
  if (request->task() != kDetectTask) {
    return grpc::Status(
        grpc::StatusCode::UNIMPLEMENTED,
        absl::StrCat("task '", request->task(), "' is not implemented; ",
                     kSupportedTasks));
  }
  absl::StatusOr<v1::InferResponse> answer = Detect(*request);
  if (!answer.ok()) return rpc::ToGrpcStatus(answer.status());
  *response = std::move(*answer);
  return grpc::Status::OK;
}

absl::StatusOr<v1::InferResponse> LvlmRefService::Detect(
    const v1::InferRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<DetectOptions> options = ParseDetectOptions(request.options());
  if (!options.ok()) return options.status();
  absl::StatusOr<image::Image> img = InputImage(request, options_.limits);
  if (!img.ok()) return img.status();

  absl::StatusOr<std::vector<semantic::Detection>> detections;
  {
    absl::MutexLock lock(&mutex_);
    semantic::Detector& detector =
        options->detector == semantic::DetectorKind::kNanoDet ? *nanodet_
                                                              : *centernet_;
    detections = detector.Detect(*img, options->min_score);
  }
  if (!detections.ok()) return detections.status();
  std::stable_sort(
      detections->begin(), detections->end(),
      [](const semantic::Detection& a, const semantic::Detection& b) {
        return a.score > b.score;
      });

  v1::InferResponse response;
  for (const semantic::Detection& d : *detections) {
    v1::Box* box = response.add_boxes();
    box->set_label(semantic::CocoClassName(d.class_id));
    box->set_class_id(d.class_id);
    box->set_score(d.score);
    box->set_x0(d.x0);
    box->set_y0(d.y0);
    box->set_x1(d.x1);
    box->set_y1(d.y1);
  }
  response.set_text(Summary(*detections));
  response.set_model(semantic::DetectorName(options->detector));
  response.set_infer_ms(std::chrono::duration<double, std::milli>(
                            std::chrono::steady_clock::now() - start)
                            .count());
  return response;
}

}  // namespace vlmc::lvlm_ref
