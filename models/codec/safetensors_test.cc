#include "models/codec/safetensors.h"

#include <gtest/gtest.h>

namespace vlmc::codec {
namespace {

TensorFile SampleFile() {
  TensorFile file;
  file.tensors["a.weight"] = torch::randn({3, 4});
  file.tensors["b.half"] = torch::randn({5}).to(torch::kFloat16);
  file.tensors["c.table"] = torch::arange(7, torch::kInt32);
  file.tensors["d.empty"] = torch::zeros({0, 2});
  file.metadata["model_id"] = "test";
  return file;
}

TEST(SafetensorsTest, RoundTripKeepsDtypesShapesValuesAndMetadata) {
  TensorFile file = SampleFile();
  absl::StatusOr<std::string> bytes = SerializeSafetensors(file);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  absl::StatusOr<TensorFile> back = ParseSafetensors(*bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->metadata, file.metadata);
  ASSERT_EQ(back->tensors.size(), file.tensors.size());
  for (const auto& [name, tensor] : file.tensors) {
    const torch::Tensor& other = back->tensors.at(name);
    EXPECT_EQ(other.scalar_type(), tensor.scalar_type()) << name;
    EXPECT_TRUE(torch::equal(other, tensor)) << name;
  }
}

TEST(SafetensorsTest, HeaderLengthIsLittleEndianAndDataAligned) {
  absl::StatusOr<std::string> bytes = SerializeSafetensors(SampleFile());
  ASSERT_TRUE(bytes.ok());
  uint64_t header = 0;
  for (int i = 0; i < 8; ++i)
    header |= uint64_t{static_cast<uint8_t>((*bytes)[i])} << (8 * i);
  EXPECT_EQ(header % 8, 0u);
  EXPECT_EQ((*bytes)[8], '{');
}

TEST(SafetensorsTest, CorruptFilesAreDataLossNeverCrash) {
  absl::StatusOr<std::string> bytes = SerializeSafetensors(SampleFile());
  ASSERT_TRUE(bytes.ok());
  for (size_t length = 0; length < bytes->size(); ++length) {
    absl::StatusOr<TensorFile> parsed =
        ParseSafetensors(bytes->substr(0, length));
    EXPECT_FALSE(parsed.ok()) << length;
  }
  std::string huge_header = *bytes;
  huge_header[7] = 0x7f;
  EXPECT_EQ(ParseSafetensors(huge_header).status().code(),
            absl::StatusCode::kDataLoss);
  const std::string bad_json = std::string("\x04\0\0\0\0\0\0\0{{{{", 12);
  EXPECT_EQ(ParseSafetensors(bad_json).status().code(),
            absl::StatusCode::kDataLoss);
  const std::string json =
      R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[0,16]}})";
  std::string wrong_size(8, '\0');
  wrong_size[0] = static_cast<char>(json.size());
  wrong_size += json + std::string(16, '\0');
  EXPECT_EQ(ParseSafetensors(wrong_size).status().code(),
            absl::StatusCode::kDataLoss);
}

TEST(SafetensorsTest, UnsupportedDtypeIsRejectedOnWrite) {
  TensorFile file;
  file.tensors["d"] = torch::zeros({2}, torch::kFloat64);
  EXPECT_EQ(SerializeSafetensors(file).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vlmc::codec
