#include "models/codec/codec_device.h"

#include <gtest/gtest.h>
#include <torch/cuda.h>

#include "models/codec/codec.h"
#include "models/image/image_io.h"

namespace vlmc::codec {
namespace {

TEST(CodecDeviceTest, CpuIsTheDefaultDevice) {
  absl::StatusOr<torch::Device> device = ResolveDevice({});
  ASSERT_TRUE(device.ok()) << device.status();
  EXPECT_TRUE(device->is_cpu());
}

TEST(CodecDeviceTest, RefusesMalformedDeviceNames) {
  for (const char* name : {"", "gpu", "CUDA", "cpu:0", "cuda:", "cuda:x",
                           "cuda:-1", "cuda:+1", "cuda: 1", "cuda:0 "}) {
    EXPECT_EQ(ResolveDevice({name}).status().code(),
              absl::StatusCode::kInvalidArgument)
        << '"' << name << '"';
  }
}

TEST(CodecDeviceTest, RefusesHalfSynthesisOnCpu) {
  absl::Status status =
      ResolveDevice({"cpu", SynthesisPrecision::kFloat16}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("CUDA"), std::string::npos) << status;
}

TEST(CodecDeviceTest, SynthesisPrecisionNamesRoundTrip) {
  for (SynthesisPrecision precision :
       {SynthesisPrecision::kFloat32, SynthesisPrecision::kFloat64,
        SynthesisPrecision::kFloat16}) {
    absl::StatusOr<SynthesisPrecision> parsed =
        ParseSynthesisPrecision(SynthesisPrecisionName(precision));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, precision);
  }
  EXPECT_EQ(SynthesisDtype(SynthesisPrecision::kFloat32), torch::kFloat32);
  EXPECT_EQ(SynthesisDtype(SynthesisPrecision::kFloat64), torch::kFloat64);
  EXPECT_EQ(SynthesisDtype(SynthesisPrecision::kFloat16), torch::kHalf);
  for (const char* name : {"", "fp32", "Float32", "double", "float32 "}) {
    absl::Status status = ParseSynthesisPrecision(name).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << name;
    EXPECT_NE(status.message().find("float64"), std::string::npos) << status;
  }
}

TEST(CodecDeviceTest, CudaWithoutDeviceIsAFailedPrecondition) {
  if (torch::cuda::is_available()) GTEST_SKIP() << "a CUDA device is visible";
  for (const char* name : {"cuda", "cuda:0", "cuda:3"}) {
    for (SynthesisPrecision precision :
         {SynthesisPrecision::kFloat32, SynthesisPrecision::kFloat16}) {
      absl::Status status = ResolveDevice({name, precision}).status();
      EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition)
          << name << ": " << status;
      EXPECT_NE(status.message().find("CUDA"), std::string::npos) << status;
    }
  }
  absl::StatusOr<std::unique_ptr<Codec>> codec =
      Codec::Load(VLMC_REFERENCE_MODEL_PATH, {"cuda"});
  EXPECT_EQ(codec.status().code(), absl::StatusCode::kFailedPrecondition)
      << codec.status();
}

TEST(CodecDeviceTest, ExplicitCpuOptionsMatchTheDefaultLoad) {
  absl::StatusOr<std::unique_ptr<Codec>> by_default =
      Codec::Load(VLMC_REFERENCE_MODEL_PATH);
  absl::StatusOr<std::unique_ptr<Codec>> on_cpu =
      Codec::Load(VLMC_REFERENCE_MODEL_PATH, {"cpu"});
  ASSERT_TRUE(by_default.ok() && on_cpu.ok());
  EXPECT_TRUE((*on_cpu)->device().is_cpu());
  absl::StatusOr<image::Image> image = image::ReadImageFile(
      std::string(VLMC_SOURCE_DIR) + "/tests/data/kodim20.png");
  ASSERT_TRUE(image.ok()) << image.status();
  // The top 768x128 rows keep the test fast.
  image->height = 128;
  image->rgb.resize(static_cast<size_t>(image->width) * 128 * 3);
  absl::StatusOr<std::string> a = (*by_default)->Compress(*image, 0.6);
  absl::StatusOr<std::string> b = (*on_cpu)->Compress(*image, 0.6);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(*a == *b) << "streams differ";
  absl::StatusOr<image::Image> pixels_a = (*by_default)->Decompress(*a);
  absl::StatusOr<image::Image> pixels_b = (*on_cpu)->Decompress(*a);
  ASSERT_TRUE(pixels_a.ok() && pixels_b.ok());
  EXPECT_TRUE(pixels_a->rgb == pixels_b->rgb) << "pixels differ";
}

}  // namespace
}  // namespace vlmc::codec
