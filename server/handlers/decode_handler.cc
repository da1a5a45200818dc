#include "server/handlers/decode_handler.h"

#include <cstdint>
#include <cstring>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
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

}  // namespace

absl::StatusOr<DecodeHandler::Admitted> DecodeHandler::Admit(
    const Request& request) const {
  absl::StatusOr<bitstream::ParsedStream> parsed =
      ParseDecodeRequest(request, context_.limits, codec::kMaxCodecPixels);
  if (!parsed.ok()) return parsed.status();
  absl::StatusOr<const ServedModel*> model =
      context_.models->ForStream(parsed->header);
  if (!model.ok()) return model.status();
  return Admitted{*model, parsed->header};
}

absl::Status DecodeHandler::Run(const Request& request,
                                const Admitted& admitted,
                                const StopCheck& /*should_stop*/,
                                Response* response) const {
  const absl::Time start = absl::Now();
  absl::StatusOr<image::Image> image =
      admitted.model->codec->Decompress(request.stream());
  if (!image.ok()) return image.status();

  v1::OutputFormat format = request.format();
  if (format == v1::OUTPUT_FORMAT_UNSPECIFIED) format = v1::OUTPUT_FORMAT_PNG;
  switch (format) {
    case v1::OUTPUT_FORMAT_RAW_RGB8:
      response->set_data(image->rgb.data(), image->rgb.size());
      break;
    case v1::OUTPUT_FORMAT_FLOAT32_NCHW:
      response->set_data(ToFloat32Nchw(*image));
      for (int64_t d : {int64_t{1}, int64_t{3}, int64_t{image->height},
                        int64_t{image->width}}) {
        response->add_tensor_shape(d);
      }
      break;
    default: {
      absl::StatusOr<std::string> png = image::EncodePng(*image);
      if (!png.ok()) return png.status();
      response->set_data(*std::move(png));
      break;
    }
  }
  response->set_width(image->width);
  response->set_height(image->height);
  response->set_format(format);
  response->set_model_id(admitted.model->model_id);
  response->set_model_version(admitted.model->version);
  response->set_quality(bitstream::CodeToQuality(admitted.header.quality_code));
  response->set_decode_ms(absl::ToDoubleMilliseconds(absl::Now() - start));
  return absl::OkStatus();
}

}  // namespace vlmc::service
