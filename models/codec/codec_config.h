#ifndef VLMC_MODELS_CODEC_CODEC_CONFIG_H_
#define VLMC_MODELS_CODEC_CODEC_CONFIG_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vlmc::codec {

// Network families: the topology of the analysis and synthesis transforms
// (the hyperprior path, gain units and pre-editor are common to all).
// kFamilyHyperprior: four 5x5 stride-2 layers each way with GDN (the vlmc-hp
// and vlmc-task models; files without a 'family' entry). kFamilyBls2017: the
// Balle et al. 2017 transforms (9x9 stride 4, two 5x5 stride 2, simplified
// GDN), the shape of ../shared/pretrained/bls2017-mse-0.125.
inline constexpr char kFamilyHyperprior[] = "hp";
inline constexpr char kFamilyBls2017[] = "bls2017";

// Shape and identity of a codec model; stored in the model file's metadata.
struct CodecConfig {
  std::string model_id = "vlmc-hp";
  int model_version = 1;
  std::string family = kFamilyHyperprior;
  int64_t channels_n = 64;  // transform width and hyper-latent channels
  int64_t channels_m = 96;  // latent channels
  // Rate-distortion trade-offs of the gain-unit levels (increasing). Quality
  // q in [0, 1] maps to lambda by log-linear interpolation along this ladder.
  std::vector<double> level_lambdas = {0.0008, 0.0019, 0.0045,
                                       0.0106, 0.025,  0.06};
  // Channels per level of the pre-editing U-Net applied before the analysis
  // transform (PreEditorConfig::widths); empty: no pre-editor, the layout of
  // every rate-distortion model. Stored as 'pre_editor_widths' only when set,
  // so files without one read and write as before.
  std::vector<int64_t> pre_editor_widths;
  // One factorized density of the hyper-latent z per gain-unit level (the
  // stream's nearest level, NearestLevel, picks its tables) instead of one
  // for all: at low qualities z is nearly constant, and a density shared
  // with the high levels charged every element for the spread it has there.
  // Stored as 'z_density' = 'per_level' only when set.
  bool z_density_per_level = false;

  std::map<std::string, std::string> ToMetadata() const;
  static absl::StatusOr<CodecConfig> FromMetadata(
      const std::map<std::string, std::string>& metadata);
};

// The gain-unit level nearest to quality code `quality_code`
// (bitstream::QualityToCode: q = code / 65535) on a ladder of `levels`, in
// integer arithmetic so that every decoder picks the same one.
int64_t NearestLevel(uint32_t quality_code, int64_t levels);

// Checks a family name (kFamilyHyperprior or kFamilyBls2017).
absl::Status CheckFamily(absl::string_view family);

// Parses a comma-separated, strictly increasing list of positive lambdas
// (the format of the 'level_lambdas' metadata and of `vlmc train --lambdas`).
absl::StatusOr<std::vector<double>> ParseLevelLambdas(absl::string_view text);

}  // namespace vlmc::codec

#endif  // VLMC_MODELS_CODEC_CODEC_CONFIG_H_
