#include "server/handlers/decode_handler.h"

#include <cstdint>
#include <cstring>
#include <exception>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "models/codec/codec.h"
#include "models/image/png_codec.h"
#include "server/handlers/request_checks.h"

namespace vlmc::service {
namespace {

// float32 NCHW, little-endian, values pixel / 255.
std::string ToFloat32Nchw(const image::Image& image) {
  const size_t plane = static_cast<size_t>(image.width) * image.height;
  std::string out(plane * 3 * sizeof(float), '\0');
  char* dst = out.data();
  for (size_t c = 0; c < 3; ++c) {
    for (size_t i = 0; i < plane; ++i) {
      const float value = image.rgb[i * 3 + c] / 255.0f;
      uint32_t bits;
      std::memcpy(&bits, &value, sizeof(bits));
      for (int b = 0; b < 4; ++b) *dst++ = static_cast<char>(bits >> (8 * b));
    }
  }
  return out;
}

uint64_t ImagePixels(const bitstream::StreamHeader& header) {
  return uint64_t{header.width} * header.height;
}

// A LibTorch exception becomes INTERNAL instead of ending the process.
template <typename Work>
auto CatchExceptions(const Work& work) -> decltype(work()) {
  try {
    return work();
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("inference failed: ", e.what()));
  }
}

// Fills `response` with `image` in the requested format (a PNG at zlib
// `png_level`); decode_ms counts from `start`.
absl::Status FillResponse(const v1::DecodeRequest& request,
                          const DecodeHandler::Admitted& admitted,
                          const image::Image& image, int png_level,
                          absl::Time start, v1::DecodeResponse* response) {
  v1::OutputFormat format = request.format();
  if (format == v1::OUTPUT_FORMAT_UNSPECIFIED) format = v1::OUTPUT_FORMAT_PNG;
  switch (format) {
    case v1::OUTPUT_FORMAT_RAW_RGB8:
      response->set_data(image.rgb.data(), image.rgb.size());
      break;
    case v1::OUTPUT_FORMAT_FLOAT32_NCHW:
      response->set_data(ToFloat32Nchw(image));
      for (int64_t d : {int64_t{1}, int64_t{3}, int64_t{image.height},
                        int64_t{image.width}}) {
        response->add_tensor_shape(d);
      }
      break;
    default: {
      absl::StatusOr<std::string> png = image::EncodePng(image, png_level);
      if (!png.ok()) return png.status();
      response->set_data(*std::move(png));
      break;
    }
  }
  response->set_width(image.width);
  response->set_height(image.height);
  response->set_format(format);
  response->set_model_id(admitted.model->model_id);
  response->set_model_version(admitted.model->version);
  response->set_quality(bitstream::CodeToQuality(admitted.header.quality_code));
  response->set_decode_ms(absl::ToDoubleMilliseconds(absl::Now() - start));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<DecodeHandler::Admitted> DecodeHandler::Admit(
    const Request& request) const {
  absl::StatusOr<bitstream::ParsedStream> parsed =
      ParseDecodeRequest(request, context_.limits, codec::kMaxCodecPixels);
  if (!parsed.ok()) return parsed.status();
  absl::StatusOr<const ServedModel*> model =
      context_.models->ForStream(parsed->header);
  if (!model.ok()) return model.status();
  absl::StatusOr<std::string> shape_key =
      codec::Codec::BatchKey(request.stream());
  if (!shape_key.ok()) return shape_key.status();
  return Admitted{*model, parsed->header, *std::move(shape_key)};
}

absl::Status DecodeHandler::Run(const Request& request,
                                const Admitted& admitted,
                                const StopCheck& /*should_stop*/,
                                Response* response) const {
  const absl::Time start = absl::Now();
  absl::StatusOr<image::Image> image =
      admitted.model->codec->Decompress(request.stream());
  if (!image.ok()) return image.status();
  return FillResponse(request, admitted, *image, context_.png_compression_level,
                      start, response);
}

void DecodeHandler::RunBatch(std::vector<BatchedCall>& calls) const {
  if (calls.empty()) return;
  const absl::Time start = absl::Now();
  const codec::Codec& codec = *calls.front().admitted.model->codec;
  // The entropy stage, streams in parallel: a bad stream fails only its own
  // call.
  std::vector<absl::string_view> streams;
  for (const BatchedCall& call : calls)
    streams.push_back(call.request->stream());
  std::vector<absl::StatusOr<codec::DecodedLatents>> all =
      codec.DecodeLatentsBatch(streams);
  std::vector<BatchedCall*> decoded_calls;
  std::vector<codec::DecodedLatents> latents;
  for (size_t i = 0; i < calls.size(); ++i) {
    if (!all[i].ok()) {
      calls[i].finish(all[i].status());
      continue;
    }
    decoded_calls.push_back(&calls[i]);
    latents.push_back(*std::move(all[i]));
  }
  // One synthesis per run of calls whose pixels fit the codec's limit.
  size_t begin = 0;
  while (begin < latents.size()) {
    uint64_t pixels = ImagePixels(latents[begin].header);
    size_t end = begin + 1;
    while (end < latents.size() && pixels + ImagePixels(latents[end].header) <=
                                       codec::kMaxCodecPixels) {
      pixels += ImagePixels(latents[end].header);
      ++end;
    }
    const absl::Span<const codec::DecodedLatents> chunk =
        absl::MakeConstSpan(latents).subspan(begin, end - begin);
    absl::StatusOr<std::vector<image::Image>> images =
        CatchExceptions([&] { return codec.Synthesize(chunk); });
    for (size_t i = begin; i < end; ++i) {
      BatchedCall& call = *decoded_calls[i];
      if (!images.ok()) {
        call.finish(images.status());
        continue;
      }
      call.finish(CatchExceptions([&] {
        return FillResponse(*call.request, call.admitted, (*images)[i - begin],
                            context_.png_compression_level, start,
                            call.response);
      }));
    }
    begin = end;
  }
}

}  // namespace vlmc::service
