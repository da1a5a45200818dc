#include "models/image/jpeg_codec.h"

// jpeglib.h needs FILE and size_t declared first.
#include <cstdio>
#include <cstdlib>
// clang-format off
#include <jpeglib.h>
#include <jerror.h>
// clang-format on

#include <algorithm>
#include <climits>
#include <csetjmp>
#include <cstdint>
#include <new>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

namespace vlmc::image {
namespace {

// libjpeg reports errors through error_exit, which must not return; we
// longjmp. Every frame it can jump over or into (the *Frame functions and
// callbacks below) holds only trivially destructible state, and nothing
// C++-owned is allocated inside them.

// Progressive files may hold any number of scans, each costing a full pass
// over the coefficients; a hostile file can use this to burn CPU. Real
// encoders use about 10.
constexpr int kMaxScans = 1000;
// libjpeg keeps whole-image coefficient buffers for progressive files: 2
// bytes per sample per component, up to 10 components. This admits a 4:4:4
// three-component image at the pixel limit (6 bytes per pixel), not more.
constexpr int64_t kMaxBytesPerPixel = 8;
constexpr int64_t kMemoryHeadroom = int64_t{64} << 20;
constexpr size_t kMessageSize = JMSG_LENGTH_MAX + 64;

struct JpegReadContext {
  jpeg_decompress_struct cinfo;
  jpeg_error_mgr err;
  jpeg_progress_mgr progress;
  std::jmp_buf jump;
  char message[kMessageSize];
  bool created;
};

struct JpegWriteContext {
  jpeg_compress_struct cinfo;
  jpeg_error_mgr err;
  std::jmp_buf jump;
  char message[kMessageSize];
  bool created;
  unsigned char* buffer;  // malloc'd by jpeg_mem_dest; we free it.
  unsigned long size;     // NOLINT(runtime/int): libjpeg's type.
};

template <typename Context>
[[noreturn]] void OnJpegError(j_common_ptr cinfo) {
  auto* ctx = static_cast<Context*>(cinfo->client_data);
  if (ctx->message[0] == '\0') {
    (*cinfo->err->format_message)(cinfo, ctx->message);
  }
  std::longjmp(ctx->jump, 1);
}

// Silences libjpeg's stderr output. Running out of input is promoted to an
// error: libjpeg would otherwise pad the missing pixels with grey.
template <typename Context>
void OnJpegMessage(j_common_ptr cinfo, int level) {
  if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) {
    OnJpegError<Context>(cinfo);
  }
}

void OutputNothing(j_common_ptr) {}

void OnJpegProgress(j_common_ptr cinfo) {
  auto* ctx = static_cast<JpegReadContext*>(cinfo->client_data);
  if (ctx->cinfo.input_scan_number > kMaxScans) {
    std::snprintf(ctx->message, kMessageSize, "more than %d scans", kMaxScans);
    std::longjmp(ctx->jump, 1);
  }
}

template <typename Context>
void InstallErrorHandlers(Context* ctx, jpeg_common_struct* common) {
  common->err = jpeg_std_error(&ctx->err);
  ctx->err.error_exit = OnJpegError<Context>;
  ctx->err.emit_message = OnJpegMessage<Context>;
  ctx->err.output_message = OutputNothing;
  common->client_data = ctx;
}

bool ReadHeaderFrame(JpegReadContext* ctx, const unsigned char* data,
                     size_t size, int64_t max_memory) {
  if (setjmp(ctx->jump)) return false;
  j_decompress_ptr cinfo = &ctx->cinfo;
  InstallErrorHandlers(ctx, reinterpret_cast<j_common_ptr>(cinfo));
  jpeg_create_decompress(cinfo);
  ctx->created = true;
  cinfo->mem->max_memory_to_use = static_cast<long>(max_memory);  // NOLINT
  ctx->progress.progress_monitor = OnJpegProgress;
  cinfo->progress = &ctx->progress;
  // jpeg_mem_src takes unsigned long; guard platforms where it is 32 bits.
  if constexpr (sizeof(size_t) > sizeof(unsigned long)) {  // NOLINT
    if (size > ULONG_MAX) ERREXIT(cinfo, JERR_INPUT_EOF);
  }
  jpeg_mem_src(cinfo, data, static_cast<unsigned long>(size));  // NOLINT
  jpeg_read_header(cinfo, TRUE);
  return true;
}

// Rounded x * y / 255 for bytes.
inline uint8_t MulDiv255(int x, int y) {
  return static_cast<uint8_t>((x * y + 127) / 255);
}

// Naive CMYK -> RGB. Adobe writers store CMYK inverted (0 = full ink).
void CmykRowToRgb(const uint8_t* cmyk, uint8_t* rgb, size_t width,
                  bool inverted) {
  for (size_t x = 0; x < width; ++x) {
    const uint8_t* p = cmyk + 4 * x;
    const int k = inverted ? p[3] : 255 - p[3];
    for (int c = 0; c < 3; ++c) {
      rgb[3 * x + c] = MulDiv255(inverted ? p[c] : 255 - p[c], k);
    }
  }
}

// Decodes all rows into `rgb` (width * height * 3 bytes). `cmyk_row` is
// scratch of width * 4 bytes, used when out_color_space is JCS_CMYK.
bool ReadPixelsFrame(JpegReadContext* ctx, uint8_t* rgb, uint8_t* cmyk_row) {
  if (setjmp(ctx->jump)) return false;
  j_decompress_ptr cinfo = &ctx->cinfo;
  const bool cmyk = cinfo->out_color_space == JCS_CMYK;
  const int components = cmyk ? 4 : 3;
  jpeg_start_decompress(cinfo);
  // Guards the preallocated buffers against any unexpected scaling.
  if (cinfo->output_width != cinfo->image_width ||
      cinfo->output_height != cinfo->image_height ||
      cinfo->output_components != components) {
    std::snprintf(ctx->message, kMessageSize, "unexpected output layout");
    return false;
  }
  const size_t stride = size_t{cinfo->output_width} * 3;
  while (cinfo->output_scanline < cinfo->output_height) {
    uint8_t* out = rgb + stride * cinfo->output_scanline;
    JSAMPROW row = cmyk ? cmyk_row : out;
    if (jpeg_read_scanlines(cinfo, &row, 1) != 1) {
      std::snprintf(ctx->message, kMessageSize, "no scanline produced");
      return false;
    }
    if (cmyk) {
      CmykRowToRgb(cmyk_row, out, cinfo->output_width, cinfo->saw_Adobe_marker);
    }
  }
  return true;
}

bool WriteFrame(JpegWriteContext* ctx, const uint8_t* rgb, int width,
                int height, int quality) {
  if (setjmp(ctx->jump)) return false;
  j_compress_ptr cinfo = &ctx->cinfo;
  InstallErrorHandlers(ctx, reinterpret_cast<j_common_ptr>(cinfo));
  jpeg_create_compress(cinfo);
  ctx->created = true;
  jpeg_mem_dest(cinfo, &ctx->buffer, &ctx->size);
  cinfo->image_width = static_cast<JDIMENSION>(width);
  cinfo->image_height = static_cast<JDIMENSION>(height);
  cinfo->input_components = 3;
  cinfo->in_color_space = JCS_RGB;
  jpeg_set_defaults(cinfo);
  jpeg_set_quality(cinfo, quality, TRUE);
  // 4:2:0: luma at full resolution, chroma halved both ways.
  cinfo->comp_info[0].h_samp_factor = 2;
  cinfo->comp_info[0].v_samp_factor = 2;
  for (int c = 1; c < 3; ++c) {
    cinfo->comp_info[c].h_samp_factor = 1;
    cinfo->comp_info[c].v_samp_factor = 1;
  }
  jpeg_start_compress(cinfo, TRUE);
  const size_t stride = size_t{static_cast<unsigned>(width)} * 3;
  while (cinfo->next_scanline < cinfo->image_height) {
    // libjpeg's API is not const-correct; it only reads the row.
    JSAMPROW row = const_cast<uint8_t*>(rgb + stride * cinfo->next_scanline);
    jpeg_write_scanlines(cinfo, &row, 1);
  }
  jpeg_finish_compress(cinfo);
  return true;
}

absl::Status JpegError(absl::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat("JPEG decode failed: ", message));
}

}  // namespace

absl::StatusOr<Image> DecodeJpeg(absl::string_view bytes,
                                 const DecodeLimits& limits) {
  JpegReadContext ctx{};
  struct Cleanup {
    JpegReadContext* ctx;
    ~Cleanup() {
      if (ctx->created) jpeg_destroy_decompress(&ctx->cinfo);
    }
  } cleanup{&ctx};

  const int64_t max_pixels = std::max<int64_t>(0, limits.max_pixels);
  const int64_t max_memory =
      max_pixels > (INT64_MAX - kMemoryHeadroom) / kMaxBytesPerPixel
          ? INT64_MAX
          : max_pixels * kMaxBytesPerPixel + kMemoryHeadroom;
  if (!ReadHeaderFrame(&ctx,
                       reinterpret_cast<const unsigned char*>(bytes.data()),
                       bytes.size(), std::min<int64_t>(max_memory, LONG_MAX))) {
    return JpegError(ctx.message);
  }
  jpeg_decompress_struct& cinfo = ctx.cinfo;
  if (absl::Status s = CheckDecodeLimits("JPEG", cinfo.image_width,
                                         cinfo.image_height, limits);
      !s.ok()) {
    return s;
  }
  switch (cinfo.jpeg_color_space) {
    case JCS_GRAYSCALE:
    case JCS_YCbCr:
    case JCS_RGB:
      cinfo.out_color_space = JCS_RGB;
      break;
    case JCS_CMYK:
    case JCS_YCCK:
      cinfo.out_color_space = JCS_CMYK;
      break;
    default:
      return JpegError(absl::StrCat("unsupported colour space with ",
                                    cinfo.num_components, " components"));
  }

  Image image;
  std::vector<uint8_t> cmyk_row;
  const size_t stride = size_t{cinfo.image_width} * 3;
  try {
    image.rgb.resize(stride * cinfo.image_height);
    if (cinfo.out_color_space == JCS_CMYK) {
      cmyk_row.resize(size_t{cinfo.image_width} * 4);
    }
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError(
        absl::StrCat("JPEG decode failed: cannot allocate ", cinfo.image_width,
                     "x", cinfo.image_height));
  }
  if (!ReadPixelsFrame(&ctx, image.rgb.data(), cmyk_row.data())) {
    return JpegError(ctx.message);
  }
  image.width = static_cast<int>(cinfo.image_width);
  image.height = static_cast<int>(cinfo.image_height);
  return image;
}

absl::StatusOr<std::string> EncodeJpeg(const Image& image, int quality) {
  if (absl::Status s = ValidateImage(image); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("JPEG encode failed: ", s.message()));
  }
  if (quality < 1 || quality > 100) {
    return absl::InvalidArgumentError(absl::StrCat(
        "JPEG encode failed: quality ", quality, " outside 1..100"));
  }
  if (image.width > JPEG_MAX_DIMENSION || image.height > JPEG_MAX_DIMENSION) {
    return absl::InvalidArgumentError(
        absl::StrCat("JPEG encode failed: ", image.width, "x", image.height,
                     " exceeds the format's ", JPEG_MAX_DIMENSION, " limit"));
  }
  JpegWriteContext ctx{};
  struct Cleanup {
    JpegWriteContext* ctx;
    ~Cleanup() {
      if (ctx->created) jpeg_destroy_compress(&ctx->cinfo);
      std::free(ctx->buffer);
    }
  } cleanup{&ctx};
  if (!WriteFrame(&ctx, image.rgb.data(), image.width, image.height, quality)) {
    return absl::InternalError(
        absl::StrCat("JPEG encode failed: ", ctx.message));
  }
  return std::string(reinterpret_cast<const char*>(ctx.buffer), ctx.size);
}

}  // namespace vlmc::image
