#ifndef VLMC_MODELS_IMAGE_TEST_UTIL_H_
#define VLMC_MODELS_IMAGE_TEST_UTIL_H_

// Test-only helpers: image generators, and writers for PNG/JPEG variants
// that EncodePng/EncodeJpeg never produce (each writer returns the file
// bytes, or "" if libpng/libjpeg failed).

#include <cstdint>
#include <string>
#include <vector>

#include "models/image/image.h"

namespace vlmc::image::test_util {

// Uniformly random pixels, deterministic in `seed`.
Image RandomImage(int width, int height, uint32_t seed);

// Slowly varying colours that JPEG compresses well.
Image SmoothImage(int width, int height);

struct PngSpec {
  PngSpec(int width, int height, int color_type, int bit_depth)
      : width(width),
        height(height),
        color_type(color_type),
        bit_depth(bit_depth) {}

  int width;
  int height;
  int color_type;  // PNG_COLOR_TYPE_*.
  int bit_depth;
  bool interlaced = false;
  std::vector<uint8_t> palette;        // RGB triples, for palette images.
  std::vector<uint8_t> palette_alpha;  // tRNS for palette images.
  std::vector<uint16_t> trns_color;    // tRNS key: 1 (grey) or 3 (RGB).
};

// `rows` holds height rows of packed samples exactly as stored in a PNG
// (16-bit samples big-endian, sub-byte samples MSB first).
std::string WriteTestPng(const PngSpec& spec,
                         const std::vector<std::vector<uint8_t>>& rows);

struct JpegSpec {
  JpegSpec(int width, int height, int components)
      : width(width), height(height), components(components) {}

  int width;
  int height;
  int components;  // 1 (grey), 3 (RGB input) or 4 (CMYK).
  bool progressive = false;
  int quality = 90;
};

// `samples` holds width * height * components interleaved bytes. 4-component
// input is written as CMYK with an Adobe marker, i.e. libjpeg stores the
// bytes as given and readers treat them as inverted (0 = full ink).
std::string WriteTestJpeg(const JpegSpec& spec,
                          const std::vector<uint8_t>& samples);

// Computes the PNG/zlib CRC-32 of `data`, for crafting chunks.
uint32_t Crc32(const uint8_t* data, size_t size);

// Returns a PNG chunk: length, type, data and CRC.
std::string PngChunk(const std::string& type, const std::string& data);

}  // namespace vlmc::image::test_util

#endif  // VLMC_MODELS_IMAGE_TEST_UTIL_H_
