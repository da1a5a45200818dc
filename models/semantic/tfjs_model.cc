#include "models/semantic/tfjs_model.h"

#include <cmath>
#include <cstdint>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "models/util/file_io.h"

namespace vlmc::semantic {
namespace {

using json = nlohmann::json;

absl::Status Invalid(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("tfjs model: ", what));
}

struct DtypeInfo {
  torch::ScalarType type;
  int bytes;
};

absl::StatusOr<DtypeInfo> StorageDtype(const std::string& dtype) {
  if (dtype == "float32") return DtypeInfo{torch::kFloat, 4};
  if (dtype == "int32") return DtypeInfo{torch::kInt, 4};
  if (dtype == "bool") return DtypeInfo{torch::kBool, 1};
  return Invalid(absl::StrCat("unsupported weight dtype '", dtype, "'"));
}

// Decodes one manifest entry from `bytes` (exactly its stored size).
absl::StatusOr<torch::Tensor> DecodeWeight(const json& entry,
                                           const std::vector<int64_t>& shape,
                                           int64_t count, const char* bytes,
                                           DtypeInfo target) {
  const json* q =
      entry.contains("quantization") ? &entry["quantization"] : nullptr;
  if (q == nullptr) {
    torch::Tensor t = torch::empty(shape, torch::TensorOptions(target.type));
    std::memcpy(t.data_ptr(), bytes, count * target.bytes);
    return t;
  }
  const std::string qtype = q->value("dtype", "");
  if (qtype == "float16") {
    torch::Tensor half = torch::empty(shape, torch::kHalf);
    std::memcpy(half.data_ptr(), bytes, count * 2);
    return half.to(target.type);
  }
  if (qtype == "uint8" || qtype == "uint16") {
    if (!q->contains("scale") || !q->contains("min")) {
      return Invalid(absl::StrCat("weight '", entry.value("name", ""), "': ",
                                  qtype, " quantization without scale/min"));
    }
    const double scale = (*q)["scale"].get<double>();
    const double min = (*q)["min"].get<double>();
    torch::Tensor raw;
    if (qtype == "uint8") {
      raw = torch::empty(shape, torch::kUInt8);
      std::memcpy(raw.data_ptr(), bytes, count);
    } else {
      std::vector<int32_t> wide(count);
      for (int64_t i = 0; i < count; ++i) {
        uint16_t v;
        std::memcpy(&v, bytes + 2 * i, 2);
        wide[i] = v;
      }
      raw = torch::from_blob(wide.data(), shape, torch::kInt).clone();
    }
    torch::Tensor value = raw.to(torch::kDouble) * scale + min;
    if (target.type == torch::kInt) value = value.round();
    return value.to(target.type);
  }
  return Invalid(absl::StrCat("weight '", entry.value("name", ""),
                              "': unsupported quantization dtype '", qtype,
                              "'"));
}

int QuantizedBytes(const json& entry, DtypeInfo target) {
  if (!entry.contains("quantization")) return target.bytes;
  const std::string qtype = entry["quantization"].value("dtype", "");
  if (qtype == "uint8") return 1;
  if (qtype == "uint16" || qtype == "float16") return 2;
  return 0;  // Rejected by DecodeWeight.
}

absl::Status ParseNodes(const json& topology, TfjsModel* model) {
  if (!topology.is_object() || !topology.contains("node") ||
      !topology["node"].is_array()) {
    return Invalid("modelTopology.node is missing or not an array");
  }
  for (const json& n : topology["node"]) {
    if (!n.is_object() || !n.contains("name") || !n.contains("op") ||
        !n["name"].is_string() || !n["op"].is_string()) {
      return Invalid("a node lacks a string 'name' or 'op'");
    }
    TfjsNode node;
    node.name = n["name"].get<std::string>();
    node.op = n["op"].get<std::string>();
    if (n.contains("input")) {
      if (!n["input"].is_array()) {
        return Invalid(absl::StrCat("node '", node.name, "': bad 'input'"));
      }
      for (const json& in : n["input"]) {
        if (!in.is_string()) {
          return Invalid(absl::StrCat("node '", node.name, "': bad 'input'"));
        }
        const std::string ref = in.get<std::string>();
        if (!ref.empty() && ref[0] == '^') continue;
        node.inputs.push_back(ref);
      }
    }
    node.attr = n.value("attr", json::object());
    model->nodes.push_back(std::move(node));
  }
  return absl::OkStatus();
}

absl::Status ParseWeights(const json& manifest, const ShardReader& read_shard,
                          TfjsModel* model) {
  if (!manifest.is_array()) return Invalid("weightsManifest is not an array");
  for (const json& group : manifest) {
    if (!group.contains("paths") || !group["paths"].is_array() ||
        !group.contains("weights") || !group["weights"].is_array()) {
      return Invalid("a weightsManifest group lacks 'paths' or 'weights'");
    }
    std::string buffer;
    for (const json& path : group["paths"]) {
      if (!path.is_string()) return Invalid("a shard path is not a string");
      absl::StatusOr<std::string> shard = read_shard(path.get<std::string>());
      if (!shard.ok()) return shard.status();
      buffer += *shard;
    }
    size_t offset = 0;
    for (const json& entry : group["weights"]) {
      if (!entry.contains("name") || !entry.contains("shape") ||
          !entry.contains("dtype") || !entry["shape"].is_array()) {
        return Invalid("a weight lacks 'name', 'shape' or 'dtype'");
      }
      const std::string name = entry["name"].get<std::string>();
      absl::StatusOr<DtypeInfo> target =
          StorageDtype(entry["dtype"].get<std::string>());
      if (!target.ok()) {
        return Invalid(
            absl::StrCat("weight '", name, "': ", target.status().message()));
      }
      std::vector<int64_t> shape;
      int64_t count = 1;
      for (const json& d : entry["shape"]) {
        if (!d.is_number_integer() || d.get<int64_t>() < 0) {
          return Invalid(absl::StrCat("weight '", name, "': bad shape"));
        }
        shape.push_back(d.get<int64_t>());
        count *= shape.back();
      }
      const size_t stored = count * QuantizedBytes(entry, *target);
      if (offset + stored > buffer.size()) {
        return Invalid(absl::StrCat("weight '", name, "' needs bytes [", offset,
                                    ", ", offset + stored,
                                    ") but the shards hold only ",
                                    buffer.size(), " (truncated .bin?)"));
      }
      absl::StatusOr<torch::Tensor> t =
          DecodeWeight(entry, shape, count, buffer.data() + offset, *target);
      if (!t.ok()) return t.status();
      model->weights[name] = *t;
      offset += stored;
    }
    if (offset != buffer.size()) {
      return Invalid(absl::StrCat("shards hold ", buffer.size(),
                                  " bytes but the manifest describes ",
                                  offset));
    }
  }
  return absl::OkStatus();
}

void ParseSignature(const json& root, TfjsModel* model) {
  if (!root.contains("signature")) return;
  const json& sig = root["signature"];
  for (const char* key : {"inputs", "outputs"}) {
    if (!sig.contains(key) || !sig[key].is_object()) continue;
    auto& out = std::string(key) == "inputs" ? model->signature_inputs
                                             : model->signature_outputs;
    for (const auto& [name, value] : sig[key].items()) out.push_back(name);
  }
}

}  // namespace

absl::StatusOr<TfjsModel> ParseTfjsModel(absl::string_view json_text,
                                         const ShardReader& read_shard) {
  json root = json::parse(json_text.begin(), json_text.end(), nullptr,
                          /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) {
    return Invalid("model.json is not valid JSON");
  }
  if (!root.contains("modelTopology")) return Invalid("no modelTopology");
  if (!root.contains("weightsManifest")) return Invalid("no weightsManifest");
  TfjsModel model;
  try {
    absl::Status status = ParseNodes(root["modelTopology"], &model);
    if (status.ok()) {
      status = ParseWeights(root["weightsManifest"], read_shard, &model);
    }
    if (!status.ok()) return status;
  } catch (const json::exception& e) {
    // A field of the wrong JSON type (e.g. a numeric dtype).
    return Invalid(e.what());
  }
  ParseSignature(root, &model);
  return model;
}

absl::StatusOr<TfjsModel> LoadTfjsModel(const std::string& json_path) {
  absl::StatusOr<std::string> text = util::ReadFile(json_path, 64ull << 20);
  if (!text.ok()) return text.status();
  const size_t slash = json_path.find_last_of('/');
  const std::string dir =
      slash == std::string::npos ? "" : json_path.substr(0, slash + 1);
  absl::StatusOr<TfjsModel> model =
      ParseTfjsModel(*text, [&dir](const std::string& path) {
        return util::ReadFile(dir + path, 1ull << 30);
      });
  if (!model.ok()) {
    return absl::Status(
        model.status().code(),
        absl::StrCat(json_path, ": ", model.status().message()));
  }
  return model;
}

}  // namespace vlmc::semantic
