#include "models/image/test_util.h"

#include <png.h>

#include <cmath>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <random>
// clang-format off
#include <jpeglib.h>
// clang-format on

namespace vlmc::image::test_util {
namespace {

// As in the codecs: only trivially destructible state in jumped frames.
struct PngWriter {
  std::jmp_buf jump;
  std::string* out;
  bool out_of_memory;
  png_structp png;
  png_infop info;
};

[[noreturn]] void OnPngError(png_structp png, png_const_charp) {
  std::longjmp(static_cast<PngWriter*>(png_get_error_ptr(png))->jump, 1);
}

void OnPngWarning(png_structp, png_const_charp) {}

void Append(png_structp png, png_bytep data, size_t length) {
  auto* writer = static_cast<PngWriter*>(png_get_io_ptr(png));
  try {
    writer->out->append(reinterpret_cast<const char*>(data), length);
  } catch (...) {
    writer->out_of_memory = true;
  }
  if (writer->out_of_memory) png_error(png, "out of memory");
}

void Flush(png_structp) {}

bool WritePngFrame(PngWriter* w, const PngSpec* spec, png_bytepp rows) {
  if (setjmp(w->jump)) return false;
  w->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, w, OnPngError,
                                   OnPngWarning);
  if (w->png == nullptr) return false;
  w->info = png_create_info_struct(w->png);
  if (w->info == nullptr) return false;
  png_set_write_fn(w->png, w, Append, Flush);
  png_set_IHDR(w->png, w->info, spec->width, spec->height, spec->bit_depth,
               spec->color_type,
               spec->interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (!spec->palette.empty()) {
    png_color palette[256];
    const int entries = static_cast<int>(spec->palette.size() / 3);
    for (int i = 0; i < entries && i < 256; ++i) {
      palette[i].red = spec->palette[3 * i];
      palette[i].green = spec->palette[3 * i + 1];
      palette[i].blue = spec->palette[3 * i + 2];
    }
    png_set_PLTE(w->png, w->info, palette, entries);
  }
  if (!spec->palette_alpha.empty()) {
    png_set_tRNS(w->png, w->info, spec->palette_alpha.data(),
                 static_cast<int>(spec->palette_alpha.size()), nullptr);
  }
  if (!spec->trns_color.empty()) {
    png_color_16 key{};
    key.gray = spec->trns_color[0];
    if (spec->trns_color.size() == 3) {
      key.red = spec->trns_color[0];
      key.green = spec->trns_color[1];
      key.blue = spec->trns_color[2];
    }
    png_set_tRNS(w->png, w->info, nullptr, 0, &key);
  }
  png_write_info(w->png, w->info);
  png_write_image(w->png, rows);
  png_write_end(w->png, nullptr);
  return true;
}

struct JpegWriter {
  jpeg_compress_struct cinfo;
  jpeg_error_mgr err;
  std::jmp_buf jump;
  bool created;
  unsigned char* buffer;
  unsigned long size;  // NOLINT(runtime/int): libjpeg's type.
};

[[noreturn]] void OnJpegError(j_common_ptr cinfo) {
  std::longjmp(static_cast<JpegWriter*>(cinfo->client_data)->jump, 1);
}

void OnJpegMessage(j_common_ptr, int) {}

bool WriteJpegFrame(JpegWriter* w, const JpegSpec* spec,
                    const uint8_t* samples) {
  if (setjmp(w->jump)) return false;
  j_compress_ptr cinfo = &w->cinfo;
  cinfo->err = jpeg_std_error(&w->err);
  w->err.error_exit = OnJpegError;
  w->err.emit_message = OnJpegMessage;
  cinfo->client_data = w;
  jpeg_create_compress(cinfo);
  w->created = true;
  jpeg_mem_dest(cinfo, &w->buffer, &w->size);
  cinfo->image_width = spec->width;
  cinfo->image_height = spec->height;
  cinfo->input_components = spec->components;
  cinfo->in_color_space = spec->components == 1   ? JCS_GRAYSCALE
                          : spec->components == 4 ? JCS_CMYK
                                                  : JCS_RGB;
  jpeg_set_defaults(cinfo);
  jpeg_set_quality(cinfo, spec->quality, TRUE);
  if (spec->progressive) jpeg_simple_progression(cinfo);
  jpeg_start_compress(cinfo, TRUE);
  const size_t stride = static_cast<size_t>(spec->width) * spec->components;
  while (cinfo->next_scanline < cinfo->image_height) {
    JSAMPROW row =
        const_cast<uint8_t*>(samples + stride * cinfo->next_scanline);
    jpeg_write_scanlines(cinfo, &row, 1);
  }
  jpeg_finish_compress(cinfo);
  return true;
}

}  // namespace

Image RandomImage(int width, int height, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> byte(0, 255);
  Image image;
  image.width = width;
  image.height = height;
  image.rgb.resize(static_cast<size_t>(width) * height * 3);
  for (uint8_t& v : image.rgb) v = static_cast<uint8_t>(byte(rng));
  return image;
}

Image SmoothImage(int width, int height) {
  Image image;
  image.width = width;
  image.height = height;
  image.rgb.resize(static_cast<size_t>(width) * height * 3);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      uint8_t* p = &image.rgb[(static_cast<size_t>(y) * width + x) * 3];
      p[0] = static_cast<uint8_t>(128 + 100 * std::sin(x * 0.05));
      p[1] = static_cast<uint8_t>(128 + 100 * std::cos(y * 0.07));
      p[2] = static_cast<uint8_t>((x + y) * 255 / (width + height));
    }
  }
  return image;
}

std::string WriteTestPng(const PngSpec& spec,
                         const std::vector<std::vector<uint8_t>>& rows) {
  std::vector<png_bytep> row_pointers;
  for (const std::vector<uint8_t>& row : rows) {
    row_pointers.push_back(const_cast<png_bytep>(row.data()));
  }
  std::string out;
  PngWriter writer{};
  writer.out = &out;
  const bool ok = WritePngFrame(&writer, &spec, row_pointers.data());
  if (writer.png != nullptr) {
    png_destroy_write_struct(&writer.png, &writer.info);
  }
  return ok ? out : std::string();
}

std::string WriteTestJpeg(const JpegSpec& spec,
                          const std::vector<uint8_t>& samples) {
  JpegWriter writer{};
  const bool ok = WriteJpegFrame(&writer, &spec, samples.data());
  std::string out;
  if (ok) out.assign(reinterpret_cast<const char*>(writer.buffer), writer.size);
  if (writer.created) jpeg_destroy_compress(&writer.cinfo);
  std::free(writer.buffer);
  return out;
}

uint32_t Crc32(const uint8_t* data, size_t size) {
  uint32_t crc = 0xffffffffu;
  for (size_t i = 0; i < size; ++i) {
    crc ^= data[i];
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
  }
  return crc ^ 0xffffffffu;
}

std::string PngChunk(const std::string& type, const std::string& data) {
  auto be32 = [](uint32_t v) {
    return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                       static_cast<char>(v >> 8), static_cast<char>(v)};
  };
  const std::string body = type + data;
  return be32(static_cast<uint32_t>(data.size())) + body +
         be32(
             Crc32(reinterpret_cast<const uint8_t*>(body.data()), body.size()));
}

}  // namespace vlmc::image::test_util
