#include "models/codec/safetensors.h"

#include <cstring>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"

namespace vlmc::codec {
namespace {

// Header larger than this is refused before parsing (the format's own cap).
constexpr uint64_t kMaxHeaderBytes = 100u << 20;

struct DtypeInfo {
  const char* name;
  torch::ScalarType type;
  int64_t bytes;
};
constexpr DtypeInfo kDtypes[] = {
    {"F32", torch::kFloat32, 4}, {"F16", torch::kFloat16, 2},
    {"I32", torch::kInt32, 4},   {"I64", torch::kInt64, 8},
    {"U8", torch::kUInt8, 1},
};

const DtypeInfo* FindDtype(torch::ScalarType type) {
  for (const auto& d : kDtypes) {
    if (d.type == type) return &d;
  }
  return nullptr;
}

const DtypeInfo* FindDtype(const std::string& name) {
  for (const auto& d : kDtypes) {
    if (name == d.name) return &d;
  }
  return nullptr;
}

absl::Status Corrupt(absl::string_view what) {
  return absl::DataLossError(absl::StrCat("safetensors: ", what));
}

}  // namespace

absl::StatusOr<std::string> SerializeSafetensors(const TensorFile& file) {
  nlohmann::json header = nlohmann::json::object();
  if (!file.metadata.empty()) header["__metadata__"] = file.metadata;
  std::vector<torch::Tensor> ordered;
  uint64_t offset = 0;
  for (const auto& [name, tensor] : file.tensors) {
    const DtypeInfo* dtype = FindDtype(tensor.scalar_type());
    if (dtype == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("safetensors: unsupported dtype for tensor ", name));
    }
    torch::Tensor data = tensor.detach().to(torch::kCPU).contiguous();
    const uint64_t bytes = static_cast<uint64_t>(data.numel()) * dtype->bytes;
    header[name] = {{"dtype", dtype->name},
                    {"shape", data.sizes().vec()},
                    {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
    ordered.push_back(data);
  }
  std::string json = header.dump();
  // Pad the header with spaces so tensor data starts 8-byte aligned.
  json.append((8 - json.size() % 8) % 8, ' ');
  std::string out(8, '\0');
  const uint64_t header_size = json.size();
  for (int i = 0; i < 8; ++i)
    out[i] = static_cast<char>((header_size >> (8 * i)) & 0xff);
  out += json;
  for (const auto& data : ordered) {
    out.append(static_cast<const char*>(data.data_ptr()),
               data.numel() * data.element_size());
  }
  return out;
}

absl::StatusOr<TensorFile> ParseSafetensors(absl::string_view bytes) {
  if (bytes.size() < 8)
    return Corrupt("file shorter than its 8-byte header length");
  uint64_t header_size = 0;
  for (int i = 0; i < 8; ++i) {
    header_size |= static_cast<uint64_t>(static_cast<uint8_t>(bytes[i]))
                   << (8 * i);
  }
  if (header_size > kMaxHeaderBytes || header_size > bytes.size() - 8) {
    return Corrupt(absl::StrCat("header length ", header_size,
                                " exceeds the file size ", bytes.size()));
  }
  nlohmann::json header = nlohmann::json::parse(
      bytes.substr(8, header_size), nullptr, /*allow_exceptions=*/false);
  if (header.is_discarded() || !header.is_object())
    return Corrupt("header is not a JSON object");
  const absl::string_view data = bytes.substr(8 + header_size);

  TensorFile file;
  for (const auto& [name, entry] : header.items()) {
    if (name == "__metadata__") {
      if (!entry.is_object()) return Corrupt("__metadata__ is not an object");
      for (const auto& [key, value] : entry.items()) {
        if (!value.is_string())
          return Corrupt(absl::StrCat("metadata ", key, " is not a string"));
        file.metadata[key] = value.get<std::string>();
      }
      continue;
    }
    if (!entry.is_object() || !entry.contains("dtype") ||
        !entry["dtype"].is_string() || !entry.contains("shape") ||
        !entry["shape"].is_array() || !entry.contains("data_offsets") ||
        !entry["data_offsets"].is_array() ||
        entry["data_offsets"].size() != 2) {
      return Corrupt(absl::StrCat("malformed entry for tensor ", name));
    }
    const DtypeInfo* dtype = FindDtype(entry["dtype"].get<std::string>());
    if (dtype == nullptr)
      return Corrupt(absl::StrCat("unsupported dtype for tensor ", name));
    std::vector<int64_t> shape;
    uint64_t numel = 1;
    for (const auto& dim : entry["shape"]) {
      if (!dim.is_number_unsigned())
        return Corrupt(absl::StrCat("bad shape for tensor ", name));
      const uint64_t d = dim.get<uint64_t>();
      if (d > (1ull << 40) || (d != 0 && numel > (1ull << 40) / d)) {
        return Corrupt(absl::StrCat("shape too large for tensor ", name));
      }
      numel *= d;
      shape.push_back(static_cast<int64_t>(d));
    }
    const auto& offsets = entry["data_offsets"];
    if (!offsets[0].is_number_unsigned() || !offsets[1].is_number_unsigned()) {
      return Corrupt(absl::StrCat("bad data_offsets for tensor ", name));
    }
    const uint64_t begin = offsets[0].get<uint64_t>();
    const uint64_t end = offsets[1].get<uint64_t>();
    if (begin > end || end > data.size() ||
        end - begin != numel * dtype->bytes) {
      return Corrupt(absl::StrCat("data_offsets of tensor ", name,
                                  " do not match its shape or the file size"));
    }
    torch::Tensor tensor =
        torch::empty(shape, torch::TensorOptions().dtype(dtype->type));
    if (numel > 0)
      std::memcpy(tensor.data_ptr(), data.data() + begin, end - begin);
    file.tensors[name] = tensor;
  }
  return file;
}

absl::Status WriteSafetensorsFile(const std::string& path,
                                  const TensorFile& file) {
  absl::StatusOr<std::string> bytes = SerializeSafetensors(file);
  if (!bytes.ok()) return bytes.status();
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
    if (!out) return absl::UnavailableError(absl::StrCat("cannot write ", tmp));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot rename ", tmp, " to ", path));
  }
  return absl::OkStatus();
}

absl::StatusOr<TensorFile> ReadSafetensorsFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  absl::StatusOr<TensorFile> file = ParseSafetensors(buffer.str());
  if (!file.ok()) {
    return absl::Status(file.status().code(),
                        absl::StrCat(path, ": ", file.status().message()));
  }
  return file;
}

}  // namespace vlmc::codec
