// Every model version shipped under models/zoo/<id>/ keeps reproducing its
// recorded Kodak rate/PSNR and decoding its golden streams to the recorded
// pixels (float64 synthesis; the float32 default within +-1 of them),
// forever: a stream written by a released model must stay decodable.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "models/codec/codec.h"
#include "models/image/image_io.h"
#include "models/image/metrics.h"
#include "models/util/sha256.h"

namespace vlmc::codec {
namespace {

const std::string kZooDir = std::string(VLMC_SOURCE_DIR) + "/models/zoo";

// "id/version" of every model.safetensors two levels below the zoo.
std::vector<std::string> ShippedVersions() {
  std::vector<std::string> versions;
  for (const auto& id : std::filesystem::directory_iterator(kZooDir)) {
    if (!id.is_directory()) continue;
    for (const auto& version : std::filesystem::directory_iterator(id)) {
      if (std::filesystem::exists(version.path() / "model.safetensors")) {
        versions.push_back(id.path().filename().string() + "/" +
                           version.path().filename().string());
      }
    }
  }
  std::sort(versions.begin(), versions.end());
  return versions;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class ShippedModelTest : public testing::TestWithParam<std::string> {
 protected:
  std::string Dir() const { return kZooDir + "/" + GetParam() + "/"; }

  // The default (float32 synthesis) codec.
  const Codec& Model() { return Loaded(SynthesisPrecision::kFloat32, codec_); }
  // The exact one, whose pixels the golden hashes record.
  const Codec& ExactModel() {
    return Loaded(SynthesisPrecision::kFloat64, exact_codec_);
  }

 private:
  const Codec& Loaded(SynthesisPrecision synthesis,
                      std::unique_ptr<Codec>& codec) {
    if (!codec) {
      absl::StatusOr<std::unique_ptr<Codec>> loaded =
          Codec::Load(Dir() + "model.safetensors", {"cpu", synthesis});
      EXPECT_TRUE(loaded.ok()) << loaded.status();
      if (loaded.ok()) codec = *std::move(loaded);
    }
    return *codec;
  }

  std::unique_ptr<Codec> codec_;
  std::unique_ptr<Codec> exact_codec_;
};

// The round trip of a Kodak image reproduces the rate and PSNR recorded in
// the model folder (written by `vlmc eval --csv` when the model was shipped).
TEST_P(ShippedModelTest, KodakRoundTripMeetsRecordedRateAndPsnr) {
  const std::string csv = ReadAll(Dir() + "reference_kodim20.csv");
  ASSERT_FALSE(csv.empty());
  absl::StatusOr<image::Image> img = image::ReadImageFile(
      std::string(VLMC_SOURCE_DIR) + "/tests/data/kodim20.png");
  ASSERT_TRUE(img.ok()) << img.status();
  std::istringstream lines(csv);
  std::string line;
  std::getline(lines, line);  // header: codec,image,setting,bytes,bpp,psnr,...
  int checked = 0;
  while (std::getline(lines, line)) {
    std::vector<std::string> f;
    std::stringstream fields(line);
    for (std::string v; std::getline(fields, v, ',');) f.push_back(v);
    ASSERT_GE(f.size(), 6u) << line;
    const double quality = std::stod(f[2]);
    const double bpp = std::stod(f[4]);
    const double psnr = std::stod(f[5]);
    absl::StatusOr<std::string> stream = Model().Compress(*img, quality);
    ASSERT_TRUE(stream.ok()) << stream.status();
    absl::StatusOr<image::Image> out = Model().Decompress(*stream);
    ASSERT_TRUE(out.ok()) << out.status();
    const double got_bpp = stream->size() * 8.0 / (img->width * img->height);
    EXPECT_NEAR(got_bpp, bpp, bpp * 0.01) << "quality " << quality;
    EXPECT_NEAR(*image::Psnr(*img, *out), psnr, 0.05) << "quality " << quality;
    ++checked;
  }
  EXPECT_GE(checked, 3);
}

TEST_P(ShippedModelTest, GoldenStreamsDecodeToRecordedPixels) {
  int checked = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(Dir() + "golden")) {
    if (entry.path().extension() != ".vlmc") continue;
    std::filesystem::path hash_path = entry.path();
    hash_path.replace_extension(".rgb.sha256");
    const std::string stream = ReadAll(entry.path().string());
    const std::string expected = ReadAll(hash_path.string());
    ASSERT_FALSE(stream.empty()) << entry.path();
    ASSERT_GE(expected.size(), 64u) << hash_path;
    absl::StatusOr<image::Image> out = ExactModel().Decompress(stream);
    ASSERT_TRUE(out.ok()) << entry.path() << ": " << out.status();
    const std::string pixels(out->rgb.begin(), out->rgb.end());
    EXPECT_EQ(util::ToHex(util::Sha256(pixels)), expected.substr(0, 64))
        << entry.path();
    // FORMAT.md's promise for the default float32 synthesis.
    absl::StatusOr<image::Image> fast = Model().Decompress(stream);
    ASSERT_TRUE(fast.ok()) << entry.path() << ": " << fast.status();
    absl::StatusOr<image::ValueDifference> difference =
        image::CompareValues(*fast, *out);
    ASSERT_TRUE(difference.ok()) << difference.status();
    EXPECT_LE(difference->max_abs, 1) << entry.path();
    ++checked;
  }
  EXPECT_GE(checked, 1);
}

INSTANTIATE_TEST_SUITE_P(Zoo, ShippedModelTest,
                         testing::ValuesIn(ShippedVersions()),
                         [](const testing::TestParamInfo<std::string>& info) {
                           // "vlmc-hp/2" -> "vlmc_hp_v2"
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           const size_t slash = name.find('/');
                           return name.replace(slash, 1, "_v");
                         });

// The CLI's and server's default model and the codec tests' reference model
// are both shipped models of the zoo.
TEST(ShippedModelZooTest, DefaultAndReferenceModelsAreShipped) {
  const std::vector<std::string> versions = ShippedVersions();
  for (const std::string path :
       {VLMC_DEFAULT_MODEL_PATH, VLMC_REFERENCE_MODEL_PATH}) {
    const std::filesystem::path version_dir =
        std::filesystem::path(path).parent_path();
    const std::string id_version =
        version_dir.parent_path().filename().string() + "/" +
        version_dir.filename().string();
    EXPECT_TRUE(std::filesystem::exists(path)) << path;
    EXPECT_NE(std::find(versions.begin(), versions.end(), id_version),
              versions.end())
        << id_version;
  }
}

// Every stream format the decoder reads stays pinned by a golden stream of
// the reference model (a new format version adds one, old ones stay).
TEST(ShippedModelZooTest, ReferenceModelHasAGoldenStreamOfEveryFormatVersion) {
  const std::filesystem::path golden =
      std::filesystem::path(VLMC_REFERENCE_MODEL_PATH).parent_path() / "golden";
  std::set<int> versions;
  for (const auto& entry : std::filesystem::directory_iterator(golden)) {
    if (entry.path().extension() != ".vlmc") continue;
    const std::string stream = ReadAll(entry.path().string());
    ASSERT_GT(stream.size(), 4u) << entry.path();
    versions.insert(static_cast<uint8_t>(stream[4]));
  }
  std::set<int> expected;
  for (int v = bitstream::kOldestFormatVersion;
       v <= bitstream::kNewestFormatVersion; ++v)
    expected.insert(v);
  EXPECT_EQ(versions, expected);
}

}  // namespace
}  // namespace vlmc::codec
