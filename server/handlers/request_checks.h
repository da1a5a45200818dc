#ifndef VLMC_SERVER_HANDLERS_REQUEST_CHECKS_H_
#define VLMC_SERVER_HANDLERS_REQUEST_CHECKS_H_

// The checks a request passes before any network runs. They need neither
// LibTorch nor a model, so the sanitizer and fuzz builds test them too
// (tests/fuzz/request_fuzzer.cc).

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "models/bitstream/stream_format.h"
#include "models/image/image.h"
#include "models/ratecontrol/task_fidelity.h"
#include "vlmc/v1/codec.pb.h"

namespace vlmc::service {

// Size limits every request is checked against (GetInfo reports them).
struct RequestLimits {
  int64_t max_image_pixels = 0;
  int max_image_dimension = 0;
  int64_t max_message_bytes = 0;  // unary requests and responses

  image::DecodeLimits ForImages() const {
    return {max_image_dimension, max_image_pixels};
  }
};

// Cheap checks of an ImageInput that need no decoding: present, non-empty,
// raw shape within `limits` and matching its data. INVALID_ARGUMENT if not.
absl::Status CheckImageInput(const v1::ImageInput& input,
                             const RequestLimits& limits);

// Decodes the image (PNG/JPEG dimensions are checked against `limits` before
// pixel memory is allocated). INVALID_ARGUMENT for anything unusable.
absl::StatusOr<image::Image> ImageFromInput(const v1::ImageInput& input,
                                            const RequestLimits& limits);

// INVALID_ARGUMENT when no rate target is set or it is out of range.
absl::Status CheckRateTarget(const v1::RateTarget& rate);

// A Decode request's stream container (length, CRC, header, dimensions within
// `limits` and `max_codec_pixels`) and output format.
absl::StatusOr<bitstream::ParsedStream> ParseDecodeRequest(
    const v1::DecodeRequest& request, const RequestLimits& limits,
    uint64_t max_codec_pixels);

// Search budget when an EncodeForTask request leaves max_passes at 0, and the
// most a request may ask for.
inline constexpr int kDefaultTaskPasses = 8;
inline constexpr int kMaxTaskPasses = 32;

// What an EncodeForTask request asks for.
struct TaskTarget {
  ratecontrol::TaskMetric metric = ratecontrol::TaskMetric::kTokenCosine;
  double min_fidelity = 0;
  int max_passes = 0;
};

// The task target and search budget, INVALID_ARGUMENT when unset or out of
// range.
absl::StatusOr<TaskTarget> ToTaskTarget(
    const v1::EncodeForTaskRequest& request);

}  // namespace vlmc::service

#endif  // VLMC_SERVER_HANDLERS_REQUEST_CHECKS_H_
