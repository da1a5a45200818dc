#include "models/image/png_codec.h"

#include <png.h>

#include <csetjmp>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

namespace vlmc::image {
namespace {

// libpng reports errors by longjmp. Every frame it can jump over or into
// (the *Frame functions and callbacks below) holds only trivially
// destructible state, and nothing C++-owned is allocated inside them.

constexpr size_t kMessageSize = 256;
// libpng's own default; bounds memory for ancillary chunks (text, iCCP).
constexpr png_alloc_size_t kMaxChunkBytes = 8000000;
constexpr png_uint_32 kMaxAncillaryChunks = 1000;
// DecodeLimits is the real bound; keep libpng's stricter default out of the
// way so the caller gets our message naming the limit.
constexpr png_uint_32 kPngMaxDimension = 0x7fffffff;

struct PngReadContext {
  std::jmp_buf jump;
  char message[kMessageSize];
  const unsigned char* data;
  size_t size;
  size_t offset;
  png_structp png;
  png_infop info;
  png_uint_32 width;
  png_uint_32 height;
};

struct PngWriteContext {
  std::jmp_buf jump;
  char message[kMessageSize];
  std::string* out;
  png_structp png;
  png_infop info;
};

template <typename Context>
[[noreturn]] void OnPngError(png_structp png, png_const_charp message) {
  auto* ctx = static_cast<Context*>(png_get_error_ptr(png));
  std::snprintf(ctx->message, kMessageSize, "%s", message);
  std::longjmp(ctx->jump, 1);
}

// Silences libpng's default stderr warnings; they never fail a decode.
void OnPngWarning(png_structp, png_const_charp) {}

void ReadFromMemory(png_structp png, png_bytep out, size_t length) {
  auto* ctx = static_cast<PngReadContext*>(png_get_io_ptr(png));
  if (length > ctx->size - ctx->offset) {
    png_error(png, "unexpected end of data");
  }
  std::memcpy(out, ctx->data + ctx->offset, length);
  ctx->offset += length;
}

void WriteToString(png_structp png, png_bytep data, size_t length) {
  auto* ctx = static_cast<PngWriteContext*>(png_get_io_ptr(png));
  bool ok = true;
  try {
    ctx->out->append(reinterpret_cast<const char*>(data), length);
  } catch (...) {
    ok = false;
  }
  // Jump only after the catch block has been left.
  if (!ok) png_error(png, "out of memory");
}

void FlushNothing(png_structp) {}

// Reads up to the first IDAT. On failure returns false with ctx->message set.
bool ReadHeaderFrame(PngReadContext* ctx) {
  if (setjmp(ctx->jump)) return false;
  ctx->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, ctx,
                                    OnPngError<PngReadContext>, OnPngWarning);
  if (ctx->png == nullptr) {
    std::snprintf(ctx->message, kMessageSize, "out of memory");
    return false;
  }
  ctx->info = png_create_info_struct(ctx->png);
  if (ctx->info == nullptr) png_error(ctx->png, "out of memory");
  png_set_read_fn(ctx->png, ctx, ReadFromMemory);
  png_set_user_limits(ctx->png, kPngMaxDimension, kPngMaxDimension);
  png_set_chunk_malloc_max(ctx->png, kMaxChunkBytes);
  png_set_chunk_cache_max(ctx->png, kMaxAncillaryChunks);
  png_read_info(ctx->png, ctx->info);
  ctx->width = png_get_image_width(ctx->png, ctx->info);
  ctx->height = png_get_image_height(ctx->png, ctx->info);
  return true;
}

// Converts every input format to RGB8 and reads all rows into `rows`, each
// of which holds width * 3 bytes.
bool ReadPixelsFrame(PngReadContext* ctx, png_bytep* rows) {
  if (setjmp(ctx->jump)) return false;
  png_structp png = ctx->png;
  png_infop info = ctx->info;
  png_set_palette_to_rgb(png);  // Also expands palette tRNS to alpha.
  png_set_expand_gray_1_2_4_to_8(png);
  png_set_scale_16(png);
  png_set_gray_to_rgb(png);
  png_set_strip_alpha(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  // Guards the row buffer size against any transform we did not expect.
  if (png_get_bit_depth(png, info) != 8 || png_get_channels(png, info) != 3 ||
      png_get_rowbytes(png, info) != size_t{ctx->width} * 3) {
    png_error(png, "unexpected pixel layout after conversion to RGB8");
  }
  png_read_image(png, rows);
  return true;
}

bool WriteFrame(PngWriteContext* ctx, const uint8_t* rgb, int width, int height,
                int compression_level) {
  if (setjmp(ctx->jump)) return false;
  ctx->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, ctx,
                                     OnPngError<PngWriteContext>, OnPngWarning);
  if (ctx->png == nullptr) {
    std::snprintf(ctx->message, kMessageSize, "out of memory");
    return false;
  }
  ctx->info = png_create_info_struct(ctx->png);
  if (ctx->info == nullptr) png_error(ctx->png, "out of memory");
  png_set_write_fn(ctx->png, ctx, WriteToString, FlushNothing);
  png_set_user_limits(ctx->png, kPngMaxDimension, kPngMaxDimension);
  png_set_IHDR(ctx->png, ctx->info, width, height, 8, PNG_COLOR_TYPE_RGB,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_set_compression_level(ctx->png, compression_level);
  png_write_info(ctx->png, ctx->info);
  const size_t stride = size_t{static_cast<unsigned>(width)} * 3;
  for (int y = 0; y < height; ++y) {
    png_write_row(ctx->png, rgb + stride * y);
  }
  png_write_end(ctx->png, nullptr);
  return true;
}

absl::Status PngError(const char* message) {
  return absl::InvalidArgumentError(
      absl::StrCat("PNG decode failed: ", message));
}

}  // namespace

absl::StatusOr<Image> DecodePng(absl::string_view bytes,
                                const DecodeLimits& limits) {
  if (bytes.size() < 8 ||
      png_sig_cmp(reinterpret_cast<png_const_bytep>(bytes.data()), 0, 8) != 0) {
    return PngError("not a PNG (bad signature)");
  }
  PngReadContext ctx{};
  ctx.data = reinterpret_cast<const unsigned char*>(bytes.data());
  ctx.size = bytes.size();
  struct Cleanup {
    PngReadContext* ctx;
    ~Cleanup() {
      if (ctx->png != nullptr) {
        png_destroy_read_struct(&ctx->png, &ctx->info, nullptr);
      }
    }
  } cleanup{&ctx};

  if (!ReadHeaderFrame(&ctx)) return PngError(ctx.message);
  if (absl::Status s = CheckDecodeLimits("PNG", ctx.width, ctx.height, limits);
      !s.ok()) {
    return s;
  }

  Image image;
  std::vector<png_bytep> rows;
  const size_t stride = size_t{ctx.width} * 3;
  try {
    image.rgb.resize(stride * ctx.height);
    rows.resize(ctx.height);
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "PNG decode failed: cannot allocate ", ctx.width, "x", ctx.height));
  }
  for (size_t y = 0; y < rows.size(); ++y) {
    rows[y] = image.rgb.data() + stride * y;
  }
  if (!ReadPixelsFrame(&ctx, rows.data())) return PngError(ctx.message);
  image.width = static_cast<int>(ctx.width);
  image.height = static_cast<int>(ctx.height);
  return image;
}

absl::StatusOr<std::string> EncodePng(const Image& image,
                                      int compression_level) {
  if (absl::Status s = ValidateImage(image); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("PNG encode failed: ", s.message()));
  }
  if (compression_level < 0 || compression_level > 9) {
    return absl::InvalidArgumentError(
        absl::StrCat("PNG encode failed: compression level ", compression_level,
                     " is outside 0..9"));
  }
  std::string out;
  PngWriteContext ctx{};
  ctx.out = &out;
  struct Cleanup {
    PngWriteContext* ctx;
    ~Cleanup() {
      if (ctx->png != nullptr) png_destroy_write_struct(&ctx->png, &ctx->info);
    }
  } cleanup{&ctx};
  if (!WriteFrame(&ctx, image.rgb.data(), image.width, image.height,
                  compression_level)) {
    return absl::InternalError(
        absl::StrCat("PNG encode failed: ", ctx.message));
  }
  return out;
}

}  // namespace vlmc::image
