// libFuzzer target: a request as the server receives it, through the checks
// its handlers run before any network (server/handlers/request_checks.h) and,
// for Encode, the image decoding a worker does next. Byte 0 picks the message:
// bits 0-1 the type (0 Encode, 1 Decode, 2 EncodeForTask, 3 Encode), bit 2
// whether it first arrives as EncodeStream / DecodeStream does, as a first
// message followed by one carrying the same chunk. The rest is the serialized
// message. Model selection needs the loaded models, so it is not covered.
// Whatever the checks accept must keep their documented bounds; a breach
// aborts, which is what the fuzzer reports as a finding.

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/stubs/logging.h"
#include "server/handlers/chunking.h"
#include "server/handlers/request_checks.h"
#include "vlmc/v1/codec.pb.h"

namespace {

using vlmc::service::RequestLimits;
namespace v1 = vlmc::v1;

// The server's defaults (server/server_options.cc).
constexpr RequestLimits kLimits = {/*max_image_pixels=*/int64_t{1} << 24,
                                   /*max_image_dimension=*/16384,
                                   /*max_message_bytes=*/int64_t{4} << 20};
// codec::kMaxCodecPixels, whose header needs LibTorch.
constexpr uint64_t kMaxCodecPixels = uint64_t{1} << 24;
// Far below the server's streamed limit, so that inputs reach the refusal.
constexpr size_t kMaxStreamedPayloadBytes = 2048;

void Check(bool invariant) {
  if (!invariant) std::abort();
}

bool WithinLimits(int64_t width, int64_t height) {
  return width >= 1 && height >= 1 && width <= kLimits.max_image_dimension &&
         height <= kLimits.max_image_dimension &&
         width * height <= kLimits.max_image_pixels;
}

void CheckImage(const v1::ImageInput& input) {
  if (!vlmc::service::CheckImageInput(input, kLimits).ok()) return;
  if (input.has_raw()) {
    const v1::RawImage& raw = input.raw();
    Check(WithinLimits(raw.width(), raw.height()) &&
          raw.data().size() == uint64_t{raw.width()} * raw.height() * 3);
  }
  absl::StatusOr<vlmc::image::Image> image =
      vlmc::service::ImageFromInput(input, kLimits);
  if (!image.ok()) {
    Check(image.status().code() == absl::StatusCode::kInvalidArgument);
    return;
  }
  Check(WithinLimits(image->width, image->height) &&
        image->rgb.size() == size_t{3} * image->width * image->height);
}

void CheckEncode(const v1::EncodeRequest& request) {
  if (vlmc::service::CheckRateTarget(request.rate()).ok()) {
    const v1::RateTarget& rate = request.rate();
    Check(rate.has_quality()      ? rate.quality() >= 0 && rate.quality() <= 1
          : rate.has_target_bpp() ? rate.target_bpp() > 0
                                  : rate.max_bytes() >= 1);
  }
  CheckImage(request.image());
}

void CheckDecode(const v1::DecodeRequest& request) {
  absl::StatusOr<vlmc::bitstream::ParsedStream> parsed =
      vlmc::service::ParseDecodeRequest(request, kLimits, kMaxCodecPixels);
  if (!parsed.ok()) return;
  const vlmc::bitstream::StreamHeader& header = parsed->header;
  Check(v1::OutputFormat_IsValid(request.format()) &&
        WithinLimits(header.width, header.height) &&
        uint64_t{header.width} * header.height <= kMaxCodecPixels);
}

void CheckEncodeForTask(const v1::EncodeForTaskRequest& request) {
  absl::StatusOr<vlmc::service::TaskTarget> target =
      vlmc::service::ToTaskTarget(request);
  if (target.ok()) {
    Check(target->min_fidelity > 0 && target->min_fidelity <= 1 &&
          target->max_passes >= 2 &&
          target->max_passes <= vlmc::service::kMaxTaskPasses);
  }
  CheckImage(request.image());
}

// Joins `first` and a second message carrying the same chunk as the streaming
// calls do; false when the joining refuses them.
template <typename Request>
bool JoinChunks(const Request& first, Request* joined) {
  Request second;
  second.set_chunk(first.chunk());
  if (!vlmc::service::AppendChunk(first, true, kMaxStreamedPayloadBytes, joined)
           .ok() ||
      !vlmc::service::AppendChunk(second, false, kMaxStreamedPayloadBytes,
                                  joined)
           .ok()) {
    return false;
  }
  Check(joined->chunk().empty());
  return true;
}

template <typename Request>
bool Parse(const uint8_t* data, size_t size, Request* request) {
  // gRPC refuses larger messages before any handler sees them.
  return static_cast<int64_t>(size) <= kLimits.max_message_bytes &&
         request->ParseFromArray(data, static_cast<int>(size));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Protobuf logs every string field that is not UTF-8, which would bury
  // the fuzzer's own output.
  [[maybe_unused]] static google::protobuf::LogHandler* const kPrevious =
      google::protobuf::SetLogHandler(nullptr);
  if (size == 0) return 0;
  const int type = data[0] & 3;
  const bool streamed = (data[0] & 4) != 0;
  ++data;
  --size;
  if (type == 1) {
    v1::DecodeRequest request;
    if (!Parse(data, size, &request)) return 0;
    if (!streamed) {
      CheckDecode(request);
    } else if (v1::DecodeRequest joined; JoinChunks(request, &joined)) {
      Check(joined.stream().size() <= kMaxStreamedPayloadBytes);
      CheckDecode(joined);
    }
  } else if (type == 2) {
    v1::EncodeForTaskRequest request;
    if (Parse(data, size, &request)) CheckEncodeForTask(request);
  } else {
    v1::EncodeRequest request;
    if (!Parse(data, size, &request)) return 0;
    if (!streamed) {
      CheckEncode(request);
    } else if (v1::EncodeRequest joined; JoinChunks(request, &joined)) {
      const v1::ImageInput& image = joined.image();
      Check((image.has_raw() ? image.raw().data() : image.encoded()).size() <=
            kMaxStreamedPayloadBytes);
      CheckEncode(joined);
    }
  }
  return 0;
}
