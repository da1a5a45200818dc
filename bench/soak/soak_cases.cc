#include "bench/soak/soak_cases.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "models/image/png_codec.h"
#include "models/util/file_io.h"

namespace vlmc::bench {
namespace {

image::Image Crop(const image::Image& source, int x0, int y0, int width,
                  int height) {
  image::Image crop{width, height, {}};
  crop.rgb.reserve(static_cast<size_t>(width) * height * 3);
  for (int y = y0; y < y0 + height; ++y) {
    const uint8_t* row = source.rgb.data() + (y * source.width + x0) * 3;
    crop.rgb.insert(crop.rgb.end(), row, row + width * 3);
  }
  return crop;
}

v1::EncodeRequest RawRequest(int width, int height, std::string data,
                             double quality) {
  v1::EncodeRequest request;
  v1::RawImage* raw = request.mutable_image()->mutable_raw();
  raw->set_width(width);
  raw->set_height(height);
  raw->set_data(std::move(data));
  request.mutable_rate()->set_quality(quality);
  return request;
}

RefusalCase DecodeCase(std::string name, SoakKind kind, std::string stream) {
  RefusalCase refusal{std::move(name), kind, false, {}, {}};
  refusal.decode_request.set_stream(std::move(stream));
  refusal.decode_request.set_format(v1::OUTPUT_FORMAT_RAW_RGB8);
  return refusal;
}

RefusalCase EncodeCase(std::string name, SoakKind kind,
                       v1::EncodeRequest request) {
  RefusalCase refusal{std::move(name), kind, true, std::move(request), {}};
  return refusal;
}

}  // namespace

absl::StatusOr<std::vector<ValidCase>> MakeValidCases(
    const codec::Codec& codec, const image::Image& source,
    const std::vector<std::pair<int, int>>& sizes,
    const std::vector<double>& qualities) {
  std::vector<ValidCase> cases;
  for (size_t i = 0; i < sizes.size(); ++i) {
    const auto [width, height] = sizes[i];
    if (width < 1 || height < 1 || width > source.width ||
        height > source.height) {
      return absl::InvalidArgumentError(
          absl::StrCat("size ", width, "x", height, " does not fit in the ",
                       source.width, "x", source.height, " source image"));
    }
    // Different crops per size, so the streams differ in content too.
    const int x0 = static_cast<int>((i * 211) % (source.width - width + 1));
    const int y0 = static_cast<int>((i * 137) % (source.height - height + 1));
    const image::Image crop = Crop(source, x0, y0, width, height);
    absl::StatusOr<std::string> png = image::EncodePng(crop);
    if (!png.ok()) return png.status();
    for (double quality : qualities) {
      ValidCase valid;
      valid.name = absl::StrFormat("%dx%d q%g", width, height, quality);
      valid.width = width;
      valid.height = height;
      valid.raw_request =
          RawRequest(width, height,
                     std::string(crop.rgb.begin(), crop.rgb.end()), quality);
      valid.png_request.mutable_image()->set_encoded(*png);
      valid.png_request.mutable_rate()->set_quality(quality);
      absl::StatusOr<std::string> stream = codec.Compress(crop, quality);
      if (!stream.ok()) return stream.status();
      absl::StatusOr<image::Image> pixels = codec.Decompress(*stream);
      if (!pixels.ok()) return pixels.status();
      valid.stream = *std::move(stream);
      valid.pixels = *std::move(pixels);
      cases.push_back(std::move(valid));
    }
  }
  return cases;
}

std::vector<RefusalCase> MakeCorruptCases(const codec::Codec& codec,
                                          const std::vector<ValidCase>& valid,
                                          int per_stream, std::mt19937& rng) {
  std::vector<RefusalCase> cases;
  for (const ValidCase& source : valid) {
    const std::string& stream = source.stream;
    for (int i = 0; i < per_stream; ++i) {
      std::string bad = stream;
      std::string how;
      if (i % 3 == 0) {
        const size_t keep =
            std::uniform_int_distribution<size_t>(0, stream.size() - 1)(rng);
        bad.resize(keep);
        how = absl::StrCat("truncated to ", keep);
      } else {
        const int flips = i % 3 == 1 ? 1 : 4;
        for (int f = 0; f < flips; ++f) {
          const size_t bit = std::uniform_int_distribution<size_t>(
              0, stream.size() * 8 - 1)(rng);
          bad[bit / 8] ^= static_cast<char>(1 << (bit % 8));
        }
        how = absl::StrCat(flips, " bit(s) flipped");
      }
      if (bad == stream || codec.Decompress(bad).ok()) continue;
      cases.push_back(DecodeCase(absl::StrCat(source.name, " ", how),
                                 SoakKind::kCorruptDecode, std::move(bad)));
    }
  }
  return cases;
}

std::vector<RefusalCase> MakeOversizedCases(
    const ServerLimits& limits, const std::string& big_png, int big_png_pixels,
    const std::string& bad_streams_dir) {
  std::vector<RefusalCase> cases;
  const size_t over_message = limits.max_message_bytes + 1024;
  v1::EncodeRequest big_message;
  big_message.mutable_image()->set_encoded(std::string(over_message, 'x'));
  big_message.mutable_rate()->set_quality(0.5);
  cases.push_back(EncodeCase("Encode over the message limit",
                             SoakKind::kOversizedMessage, big_message));
  cases.push_back(DecodeCase("Decode over the message limit",
                             SoakKind::kOversizedMessage,
                             std::string(over_message, 'x')));

  const int wide = static_cast<int>(limits.max_image_dimension) + 1;
  cases.push_back(EncodeCase(
      absl::StrCat("raw ", wide, "x1 (over the dimension limit)"),
      SoakKind::kOversizedImage,
      RawRequest(wide, 1, std::string(static_cast<size_t>(wide) * 3, '\x80'),
                 0.5)));

  const int64_t width = std::min<int64_t>(limits.max_image_dimension, 1024);
  const int64_t height = limits.max_image_pixels / width + 1;
  const uint64_t raw_bytes = static_cast<uint64_t>(width * height * 3);
  if (height <= limits.max_image_dimension &&
      raw_bytes + 1024 < limits.max_message_bytes) {
    cases.push_back(EncodeCase(
        absl::StrCat("raw ", width, "x", height, " (over the pixel limit)"),
        SoakKind::kOversizedImage,
        RawRequest(width, height, std::string(raw_bytes, '\x80'), 0.5)));
  }
  if (static_cast<uint64_t>(big_png_pixels) > limits.max_image_pixels) {
    v1::EncodeRequest png;
    png.mutable_image()->set_encoded(big_png);
    png.mutable_rate()->set_quality(0.5);
    cases.push_back(EncodeCase(
        absl::StrCat("PNG of ", big_png_pixels, " pixels (over the limit)"),
        SoakKind::kOversizedImage, png));
  }
  for (const char* name :
       {"size_65535x65535.vlmc", "pixels_above_codec_limit.vlmc",
        "width_above_limit.vlmc"}) {
    absl::StatusOr<std::string> stream =
        util::ReadFile(absl::StrCat(bad_streams_dir, "/", name));
    if (!stream.ok()) continue;
    cases.push_back(DecodeCase(absl::StrCat("stream ", name),
                               SoakKind::kOversizedImage, *stream));
  }
  return cases;
}

}  // namespace vlmc::bench
