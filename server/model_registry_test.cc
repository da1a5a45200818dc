#include "server/model_registry.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "models/bitstream/stream_format.h"
#include "models/image/image.h"

namespace vlmc::service {
namespace {

using ::testing::HasSubstr;

const std::string kZoo = std::string(VLMC_SOURCE_DIR) + "/models/zoo";

class ModelRegistryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<ModelRegistry>> loaded =
        ModelRegistry::Load(kZoo, "vlmc-hp", 0);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    registry_ = loaded->release();
  }
  static void TearDownTestSuite() { delete registry_; }

  static const ModelRegistry* registry_;
};

const ModelRegistry* ModelRegistryTest::registry_ = nullptr;

TEST_F(ModelRegistryTest, LoadsEveryShippedVersionNewestAsDefault) {
  ASSERT_EQ(registry_->models().size(), 2u);
  EXPECT_EQ(registry_->models()[0].version, 1);
  EXPECT_EQ(registry_->models()[1].version, 2);
  EXPECT_FALSE(registry_->models()[0].is_default);
  EXPECT_TRUE(registry_->models()[1].is_default);
  EXPECT_EQ(registry_->default_model().version, 2);
  for (const ServedModel& model : registry_->models()) {
    EXPECT_EQ(model.model_id, "vlmc-hp");
    EXPECT_EQ(model.weights_sha256_prefix.size(), 16u);
    EXPECT_EQ(model.codec->config().model_version, model.version);
  }
}

TEST_F(ModelRegistryTest, ResolvesSelectors) {
  absl::StatusOr<const ServedModel*> model = registry_->Resolve("", 0);
  ASSERT_TRUE(model.ok());
  EXPECT_EQ((*model)->version, 2);
  model = registry_->Resolve("vlmc-hp", 0);
  ASSERT_TRUE(model.ok());
  EXPECT_EQ((*model)->version, 2);
  model = registry_->Resolve("vlmc-hp", 1);
  ASSERT_TRUE(model.ok());
  EXPECT_EQ((*model)->version, 1);
  model = registry_->Resolve("", 1);
  ASSERT_TRUE(model.ok());
  EXPECT_EQ((*model)->version, 1);
}

TEST_F(ModelRegistryTest, UnknownModelOrVersionIsFailedPrecondition) {
  absl::StatusOr<const ServedModel*> model = registry_->Resolve("nope", 0);
  EXPECT_EQ(model.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(model.status().message()), HasSubstr("vlmc-hp v1"));
  model = registry_->Resolve("vlmc-hp", 7);
  EXPECT_EQ(model.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(model.status().message()), HasSubstr("version 7"));
}

TEST_F(ModelRegistryTest, FindsTheModelThatWroteAStream) {
  image::Image image;
  image.width = image.height = 16;
  image.rgb.assign(16 * 16 * 3, 128);
  for (const ServedModel& writer : registry_->models()) {
    absl::StatusOr<std::string> stream = writer.codec->Compress(image, 0.5);
    ASSERT_TRUE(stream.ok()) << stream.status();
    absl::StatusOr<bitstream::ParsedStream> parsed =
        bitstream::ParseStream(*stream);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    absl::StatusOr<const ServedModel*> found =
        registry_->ForStream(parsed->header);
    ASSERT_TRUE(found.ok()) << found.status();
    EXPECT_EQ(*found, &writer);

    bitstream::StreamHeader other = parsed->header;
    other.weights_hash[0] ^= 1;
    EXPECT_EQ(registry_->ForStream(other).status().code(),
              absl::StatusCode::kFailedPrecondition);
    other = parsed->header;
    other.model_id = "someone-else";
    EXPECT_EQ(registry_->ForStream(other).status().code(),
              absl::StatusCode::kFailedPrecondition);
  }
}

TEST(ModelRegistryLoadTest, DefaultVersionMustExist) {
  absl::StatusOr<std::unique_ptr<ModelRegistry>> registry =
      ModelRegistry::Load(kZoo, "vlmc-hp", 5);
  EXPECT_EQ(registry.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(registry.status().message()),
              HasSubstr("default version 5"));
}

TEST(ModelRegistryLoadTest, ExtraIdsAreLoadedAndSelectableButNotDefault) {
  absl::StatusOr<std::unique_ptr<ModelRegistry>> registry =
      ModelRegistry::Load(kZoo, "vlmc-task", 0, {}, {"vlmc-hp", "vlmc-task"});
  ASSERT_TRUE(registry.ok()) << registry.status();
  const std::vector<ServedModel>& models = (*registry)->models();
  ASSERT_GE(models.size(), 3u);
  EXPECT_EQ(models.front().model_id, "vlmc-task");
  EXPECT_EQ((*registry)->default_model().model_id, "vlmc-task");
  int defaults = 0;
  for (const ServedModel& model : models) defaults += model.is_default;
  EXPECT_EQ(defaults, 1);

  absl::StatusOr<const ServedModel*> hp = (*registry)->Resolve("vlmc-hp", 0);
  ASSERT_TRUE(hp.ok()) << hp.status();
  EXPECT_EQ((*hp)->model_id, "vlmc-hp");
  EXPECT_EQ((*hp)->version, 2);
  hp = (*registry)->Resolve("vlmc-hp", 1);
  ASSERT_TRUE(hp.ok()) << hp.status();
  EXPECT_EQ((*hp)->version, 1);
  EXPECT_EQ((*registry)->Resolve("vlmc-hp", 9).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // A version number alone selects among the served id's versions.
  absl::StatusOr<const ServedModel*> task = (*registry)->Resolve("", 1);
  ASSERT_TRUE(task.ok()) << task.status();
  EXPECT_EQ((*task)->model_id, "vlmc-task");

  registry = ModelRegistry::Load(kZoo, "vlmc-hp", 0, {}, {"no-such-model"});
  EXPECT_EQ(registry.status().code(), absl::StatusCode::kNotFound);
}

TEST(ModelRegistryLoadTest, MissingModelIsNotFound) {
  absl::StatusOr<std::unique_ptr<ModelRegistry>> registry =
      ModelRegistry::Load(kZoo, "no-such-model", 0);
  EXPECT_EQ(registry.status().code(), absl::StatusCode::kNotFound);
}

TEST(ModelRegistryLoadTest, FileWhoseVersionDisagreesWithItsDirectory) {
  namespace fs = std::filesystem;
  const fs::path root = fs::path(::testing::TempDir()) / "registry_mismatch";
  fs::remove_all(root);
  fs::create_directories(root / "vlmc-hp" / "3");
  fs::create_symlink(fs::path(kZoo) / "vlmc-hp" / "1" / "model.safetensors",
                     root / "vlmc-hp" / "3" / "model.safetensors");
  absl::StatusOr<std::unique_ptr<ModelRegistry>> registry =
      ModelRegistry::Load(root.string(), "vlmc-hp", 0);
  EXPECT_EQ(registry.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(registry.status().message()),
              HasSubstr("holds model vlmc-hp v1"));
  fs::remove_all(root);
}

}  // namespace
}  // namespace vlmc::service
