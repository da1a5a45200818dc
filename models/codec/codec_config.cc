#include "models/codec/codec_config.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "models/codec/pre_editor.h"

namespace vlmc::codec {
namespace {

absl::StatusOr<std::string> Get(const std::map<std::string, std::string>& m,
                                const std::string& key) {
  auto it = m.find(key);
  if (it == m.end()) {
    return absl::DataLossError(
        absl::StrCat("model metadata lacks '", key, "'"));
  }
  return it->second;
}

}  // namespace

absl::Status CheckFamily(absl::string_view family) {
  if (family == kFamilyHyperprior || family == kFamilyBls2017)
    return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("unknown network family '", family, "' (", kFamilyHyperprior,
                   " or ", kFamilyBls2017, ")"));
}

absl::StatusOr<std::vector<double>> ParseLevelLambdas(absl::string_view text) {
  std::vector<double> lambdas;
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    double lambda = 0;
    if (!absl::SimpleAtod(part, &lambda) || !(lambda > 0) ||
        !std::isfinite(lambda)) {
      return absl::InvalidArgumentError(
          absl::StrCat("level lambda '", part, "' is not a positive number"));
    }
    lambdas.push_back(lambda);
  }
  if (lambdas.size() < 2 ||
      !std::is_sorted(lambdas.begin(), lambdas.end(), std::less_equal<>())) {
    return absl::InvalidArgumentError(
        "level lambdas need >= 2 strictly increasing values");
  }
  return lambdas;
}

int64_t NearestLevel(uint32_t quality_code, int64_t levels) {
  // round(code * (levels - 1) / 65535), halves up.
  const uint64_t scaled = static_cast<uint64_t>(quality_code) *
                          static_cast<uint64_t>(levels - 1) * 2;
  return static_cast<int64_t>((scaled + 65535) / (2 * 65535));
}

std::map<std::string, std::string> CodecConfig::ToMetadata() const {
  std::vector<std::string> lambdas;
  for (double l : level_lambdas) lambdas.push_back(absl::StrCat(l));
  std::map<std::string, std::string> metadata = {
      {"model_id", model_id},
      {"model_version", absl::StrCat(model_version)},
      {"channels_n", absl::StrCat(channels_n)},
      {"channels_m", absl::StrCat(channels_m)},
      {"level_lambdas", absl::StrJoin(lambdas, ",")}};
  // Written only for the newer family, so older files keep their bytes.
  if (family != kFamilyHyperprior) metadata["family"] = family;
  if (!pre_editor_widths.empty())
    metadata["pre_editor_widths"] = absl::StrJoin(pre_editor_widths, ",");
  if (z_density_per_level) metadata["z_density"] = "per_level";
  return metadata;
}

absl::StatusOr<CodecConfig> CodecConfig::FromMetadata(
    const std::map<std::string, std::string>& metadata) {
  CodecConfig config;
  absl::StatusOr<std::string> value = Get(metadata, "model_id");
  if (!value.ok()) return value.status();
  config.model_id = *value;
  if (auto it = metadata.find("family"); it != metadata.end()) {
    if (absl::Status status = CheckFamily(it->second); !status.ok())
      return absl::DataLossError(
          absl::StrCat("model metadata 'family': ", status.message()));
    config.family = it->second;
  }
  const std::pair<const char*, int64_t*> ints[] = {
      {"channels_n", &config.channels_n}, {"channels_m", &config.channels_m}};
  for (const auto& [key, target] : ints) {
    value = Get(metadata, key);
    if (!value.ok()) return value.status();
    if (!absl::SimpleAtoi(*value, target) || *target < 1 || *target > 4096) {
      return absl::DataLossError(
          absl::StrCat("model metadata '", key, "' is invalid"));
    }
  }
  value = Get(metadata, "model_version");
  if (!value.ok()) return value.status();
  if (!absl::SimpleAtoi(*value, &config.model_version) ||
      config.model_version < 0 || config.model_version > 65535) {
    return absl::DataLossError("model metadata 'model_version' is invalid");
  }
  value = Get(metadata, "level_lambdas");
  if (!value.ok()) return value.status();
  absl::StatusOr<std::vector<double>> lambdas = ParseLevelLambdas(*value);
  if (!lambdas.ok()) {
    return absl::DataLossError(absl::StrCat("model metadata 'level_lambdas': ",
                                            lambdas.status().message()));
  }
  config.level_lambdas = *std::move(lambdas);
  if (auto it = metadata.find("pre_editor_widths"); it != metadata.end()) {
    absl::StatusOr<PreEditorConfig> pre_editor =
        ParsePreEditorWidths(it->second);
    if (!pre_editor.ok()) {
      return absl::DataLossError(
          absl::StrCat("model metadata 'pre_editor_widths': ",
                       pre_editor.status().message()));
    }
    config.pre_editor_widths = pre_editor->widths;
  }
  if (auto it = metadata.find("z_density"); it != metadata.end()) {
    if (it->second != "per_level") {
      return absl::DataLossError(
          absl::StrCat("model metadata 'z_density' is '", it->second,
                       "'; this build knows only 'per_level'"));
    }
    config.z_density_per_level = true;
  }
  return config;
}

}  // namespace vlmc::codec
