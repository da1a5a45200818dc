#ifndef VLMC_MODELS_BITSTREAM_BYTE_IO_H_
#define VLMC_MODELS_BITSTREAM_BYTE_IO_H_

// Little-endian primitives for the stream container (internal).

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace vlmc::bitstream {

// Appends little-endian integers to a string.
class ByteWriter {
 public:
  explicit ByteWriter(std::string* out) : out_(out) {}

  void PutU8(uint8_t v) { out_->push_back(static_cast<char>(v)); }
  void PutU16(uint16_t v) { PutLittleEndian(v, 2); }
  void PutU32(uint32_t v) { PutLittleEndian(v, 4); }
  void PutBytes(absl::string_view bytes) {
    out_->append(bytes.data(), bytes.size());
  }

 private:
  void PutLittleEndian(uint32_t v, int n) {
    for (int i = 0; i < n; ++i) PutU8(static_cast<uint8_t>(v >> (8 * i)));
  }
  std::string* out_;
};

// Bounds-checked cursor over a byte buffer. Every Read* returns false, and
// leaves the cursor unchanged, when fewer bytes remain than requested.
class ByteReader {
 public:
  explicit ByteReader(absl::string_view data) : data_(data) {}

  size_t offset() const { return offset_; }
  size_t remaining() const { return data_.size() - offset_; }

  bool ReadU8(uint8_t* v) {
    uint32_t x;
    if (!ReadLittleEndian(1, &x)) return false;
    *v = static_cast<uint8_t>(x);
    return true;
  }
  bool ReadU16(uint16_t* v) {
    uint32_t x;
    if (!ReadLittleEndian(2, &x)) return false;
    *v = static_cast<uint16_t>(x);
    return true;
  }
  bool ReadU32(uint32_t* v) { return ReadLittleEndian(4, v); }
  bool Skip(size_t n) {
    if (n > remaining()) return false;
    offset_ += n;
    return true;
  }
  bool ReadBytes(size_t n, absl::string_view* v) {
    if (n > remaining()) return false;
    *v = data_.substr(offset_, n);
    offset_ += n;
    return true;
  }

 private:
  bool ReadLittleEndian(size_t n, uint32_t* v) {
    if (n > remaining()) return false;
    uint32_t x = 0;
    for (size_t i = 0; i < n; ++i) {
      x |= uint32_t{static_cast<uint8_t>(data_[offset_ + i])} << (8 * i);
    }
    offset_ += n;
    *v = x;
    return true;
  }

  absl::string_view data_;
  size_t offset_ = 0;
};

}  // namespace vlmc::bitstream

#endif  // VLMC_MODELS_BITSTREAM_BYTE_IO_H_
