// Starts the real vlmc-server binary on free loopback ports and talks to it
// over gRPC and HTTP, as a deployment would.
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "models/codec/codec.h"
#include "models/image/image_io.h"
#include "models/image/png_codec.h"
#include "models/image/test_util.h"
#include "models/util/file_io.h"
#include "models/util/sha256.h"
#include "proto/rpc/channel_arguments.h"
#include "server/healthcheck/health_probe.h"
#include "tests/integration/http_get.h"
#include "tests/integration/server_process.h"
#include "vlmc/v1/codec.grpc.pb.h"

namespace vlmc::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kSamplePath[] = "tests/data/kodim20.png";

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TMPDIR");
  return absl::StrCat(dir ? dir : "/tmp", "/", name, ".", getpid(), ".log");
}

// The metrics address from "vlmc-server: listening on A metrics B".
std::string MetricsAddress(const ServerProcess& server) {
  std::vector<std::string> words = absl::StrSplit(server.listening_line(), ' ');
  return words.size() >= 6 ? words[5] : "";
}

image::Image CropOfSample(int width, int height) {
  absl::StatusOr<image::Image> full = image::ReadImageFile(kSamplePath);
  EXPECT_TRUE(full.ok()) << full.status();
  image::Image crop{width, height, {}};
  for (int y = 0; y < height; ++y) {
    const uint8_t* row = full->rgb.data() + (y * full->width) * 3;
    crop.rgb.insert(crop.rgb.end(), row, row + width * 3);
  }
  return crop;
}

std::unique_ptr<v1::VlmCodec::Stub> CodecStub(const std::string& address) {
  grpc::ChannelArguments args = rpc::ClientChannelArguments(64 << 20);
  return v1::VlmCodec::NewStub(grpc::CreateCustomChannel(
      address, grpc::InsecureChannelCredentials(), args));
}

std::unique_ptr<grpc::ClientContext> ContextWithDeadline(int seconds = 60) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(seconds));
  return context;
}

v1::EncodeRequest RawEncodeRequest(const image::Image& image, double quality) {
  v1::EncodeRequest request;
  v1::RawImage* raw = request.mutable_image()->mutable_raw();
  raw->set_width(image.width);
  raw->set_height(image.height);
  raw->set_data(image.rgb.data(), image.rgb.size());
  request.mutable_rate()->set_quality(quality);
  return request;
}

grpc::Status Encode(v1::VlmCodec::Stub& stub, const v1::EncodeRequest& request,
                    v1::EncodeResponse* response) {
  return stub.Encode(ContextWithDeadline().get(), request, response);
}

grpc::Status Decode(v1::VlmCodec::Stub& stub, const std::string& stream,
                    v1::OutputFormat format, v1::DecodeResponse* response) {
  v1::DecodeRequest request;
  request.set_stream(stream);
  request.set_format(format);
  return stub.Decode(ContextWithDeadline().get(), request, response);
}

class ServerIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<ServerProcess>> server =
        ServerProcess::Start(
            VLMC_SERVER_BINARY,
            {"--listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0",
             "--workers", "1", "--torch-threads", "2",
             // Exact pixels, so the server's answers can equal the library's.
             "--synthesis", "float64"},
            TempPath("vlmc-server-integration"));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
    absl::StatusOr<std::unique_ptr<codec::Codec>> codec = codec::Codec::Load(
        VLMC_DEFAULT_MODEL_PATH, {"cpu", codec::SynthesisPrecision::kFloat64});
    ASSERT_TRUE(codec.ok()) << codec.status();
    codec_ = codec->release();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete codec_;
  }
  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    stub_ = CodecStub(server_->address());
  }

  static ServerProcess* server_;
  static codec::Codec* codec_;
  std::unique_ptr<v1::VlmCodec::Stub> stub_;
};

ServerProcess* ServerIntegrationTest::server_ = nullptr;
codec::Codec* ServerIntegrationTest::codec_ = nullptr;

TEST_F(ServerIntegrationTest, HealthReportsServing) {
  absl::StatusOr<healthcheck::ServingState> state =
      healthcheck::CheckHealth(server_->address(), "", absl::Seconds(10));
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(*state, healthcheck::ServingState::kServing);
}

TEST_F(ServerIntegrationTest, RoundTripMatchesTheLibraryExactly) {
  const image::Image image = CropOfSample(192, 128);
  absl::StatusOr<std::string> library_stream = codec_->Compress(image, 0.5);
  ASSERT_TRUE(library_stream.ok()) << library_stream.status();
  absl::StatusOr<image::Image> library_pixels =
      codec_->Decompress(*library_stream);
  ASSERT_TRUE(library_pixels.ok()) << library_pixels.status();

  v1::EncodeResponse encoded;
  grpc::Status status = Encode(*stub_, RawEncodeRequest(image, 0.5), &encoded);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(encoded.stream(), *library_stream);
  EXPECT_EQ(encoded.stats().width(), 192u);
  EXPECT_EQ(encoded.stats().stream_bytes(), library_stream->size());
  EXPECT_NEAR(encoded.stats().bpp(), library_stream->size() * 8.0 / (192 * 128),
              1e-9);

  // The same image sent as a PNG file encodes to the same bytes.
  absl::StatusOr<std::string> png = image::EncodePng(image);
  ASSERT_TRUE(png.ok());
  v1::EncodeRequest png_request;
  png_request.mutable_image()->set_encoded(*png);
  png_request.mutable_rate()->set_quality(0.5);
  v1::EncodeResponse from_png;
  ASSERT_TRUE(Encode(*stub_, png_request, &from_png).ok());
  EXPECT_EQ(from_png.stream(), *library_stream);

  v1::DecodeResponse raw;
  status = Decode(*stub_, encoded.stream(), v1::OUTPUT_FORMAT_RAW_RGB8, &raw);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(raw.width(), 192u);
  EXPECT_EQ(raw.height(), 128u);
  EXPECT_EQ(raw.data(), std::string(library_pixels->rgb.begin(),
                                    library_pixels->rgb.end()));

  v1::DecodeResponse png_out;
  ASSERT_TRUE(
      Decode(*stub_, encoded.stream(), v1::OUTPUT_FORMAT_PNG, &png_out).ok());
  absl::StatusOr<image::Image> png_pixels = image::DecodeImage(png_out.data());
  ASSERT_TRUE(png_pixels.ok()) << png_pixels.status();
  EXPECT_EQ(png_pixels->rgb, library_pixels->rgb);

  v1::DecodeResponse tensor;
  ASSERT_TRUE(
      Decode(*stub_, encoded.stream(), v1::OUTPUT_FORMAT_FLOAT32_NCHW, &tensor)
          .ok());
  ASSERT_THAT(tensor.tensor_shape(), ::testing::ElementsAre(1, 3, 128, 192));
  ASSERT_EQ(tensor.data().size(), 3u * 128 * 192 * 4);
  const float* planes = reinterpret_cast<const float*>(tensor.data().data());
  // Channel 2 (blue) of pixel (x = 7, y = 5), in NCHW.
  EXPECT_FLOAT_EQ(planes[2 * 128 * 192 + 5 * 192 + 7],
                  library_pixels->rgb[(5 * 192 + 7) * 3 + 2] / 255.0f);
}

TEST_F(ServerIntegrationTest, DecodesTheOlderShippedModelsGoldenStream) {
  absl::StatusOr<std::string> stream =
      util::ReadFile("models/zoo/vlmc-hp/1/golden/kodim20_q0.5.vlmc");
  absl::StatusOr<std::string> expected =
      util::ReadFile("models/zoo/vlmc-hp/1/golden/kodim20_q0.5.rgb.sha256");
  ASSERT_TRUE(stream.ok() && expected.ok());
  v1::DecodeResponse decoded;
  const grpc::Status status =
      Decode(*stub_, *stream, v1::OUTPUT_FORMAT_RAW_RGB8, &decoded);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(decoded.model_version(), 1u);
  EXPECT_EQ(util::ToHex(util::Sha256(decoded.data())),
            std::string(absl::StripAsciiWhitespace(*expected)));
}

TEST_F(ServerIntegrationTest, BadInputsGetTheirCodesAndTheServerKeepsServing) {
  struct Case {
    std::string name;
    v1::EncodeRequest request;
    grpc::StatusCode code;
  };
  std::vector<Case> cases;
  cases.push_back({"no image", {}, grpc::StatusCode::INVALID_ARGUMENT});
  cases.back().request.mutable_rate()->set_quality(0.5);

  Case empty{"empty file", {}, grpc::StatusCode::INVALID_ARGUMENT};
  empty.request.mutable_image()->set_encoded("");
  empty.request.mutable_rate()->set_quality(0.5);
  cases.push_back(empty);

  Case text{"not an image", {}, grpc::StatusCode::INVALID_ARGUMENT};
  text.request.mutable_image()->set_encoded("hello, this is not a picture");
  text.request.mutable_rate()->set_quality(0.5);
  cases.push_back(text);

  // A valid PNG header declaring 100000 x 100000 pixels.
  const std::string ihdr = {0,
                            1,
                            static_cast<char>(0x86),
                            static_cast<char>(0xa0),
                            0,
                            1,
                            static_cast<char>(0x86),
                            static_cast<char>(0xa0),
                            8,
                            2,
                            0,
                            0,
                            0};
  Case huge{"100000x100000 PNG", {}, grpc::StatusCode::INVALID_ARGUMENT};
  huge.request.mutable_image()->set_encoded(
      std::string("\x89PNG\r\n\x1a\n", 8) +
      image::test_util::PngChunk("IHDR", ihdr) +
      image::test_util::PngChunk("IDAT", std::string(16, '\0')) +
      image::test_util::PngChunk("IEND", ""));
  huge.request.mutable_rate()->set_quality(0.5);
  cases.push_back(huge);

  Case short_raw{"raw pixels short of their shape",
                 {},
                 grpc::StatusCode::INVALID_ARGUMENT};
  short_raw.request = RawEncodeRequest(CropOfSample(64, 64), 0.5);
  short_raw.request.mutable_image()->mutable_raw()->set_width(65);
  cases.push_back(short_raw);

  Case huge_raw{"raw 100000x100000", {}, grpc::StatusCode::INVALID_ARGUMENT};
  huge_raw.request = RawEncodeRequest(CropOfSample(64, 64), 0.5);
  huge_raw.request.mutable_image()->mutable_raw()->set_width(100000);
  huge_raw.request.mutable_image()->mutable_raw()->set_height(100000);
  cases.push_back(huge_raw);

  Case bad_quality{"quality 1.5", {}, grpc::StatusCode::INVALID_ARGUMENT};
  bad_quality.request = RawEncodeRequest(CropOfSample(64, 64), 1.5);
  cases.push_back(bad_quality);

  Case unknown_model{
      "unknown model", {}, grpc::StatusCode::FAILED_PRECONDITION};
  unknown_model.request = RawEncodeRequest(CropOfSample(64, 64), 0.5);
  unknown_model.request.mutable_model()->set_model_id("no-such-model");
  cases.push_back(unknown_model);

  Case unknown_version{
      "unknown version", {}, grpc::StatusCode::FAILED_PRECONDITION};
  unknown_version.request = RawEncodeRequest(CropOfSample(64, 64), 0.5);
  unknown_version.request.mutable_model()->set_model_id("vlmc-hp");
  unknown_version.request.mutable_model()->set_version(999);
  cases.push_back(unknown_version);

  for (const Case& c : cases) {
    v1::EncodeResponse response;
    const grpc::Status status = Encode(*stub_, c.request, &response);
    EXPECT_EQ(status.error_code(), c.code)
        << c.name << ": " << status.error_message();
    EXPECT_FALSE(status.error_message().empty()) << c.name;
  }

  // Streams: empty, truncated, and one flipped byte in the coded payload.
  v1::EncodeResponse good;
  ASSERT_TRUE(
      Encode(*stub_, RawEncodeRequest(CropOfSample(64, 64), 0.5), &good).ok());
  const std::string stream = good.stream();
  std::string flipped = stream;
  flipped[flipped.size() - 3] ^= 0x10;
  const std::vector<std::pair<std::string, std::string>> bad_streams = {
      {"empty stream", ""},
      {"truncated stream", stream.substr(0, stream.size() / 2)},
      {"flipped byte", flipped},
      {"not a stream", "PK\x03\x04 a zip file, maybe"},
  };
  for (const auto& [name, bytes] : bad_streams) {
    v1::DecodeResponse response;
    const grpc::Status status =
        Decode(*stub_, bytes, v1::OUTPUT_FORMAT_PNG, &response);
    EXPECT_THAT(status.error_code(),
                ::testing::AnyOf(grpc::StatusCode::DATA_LOSS,
                                 grpc::StatusCode::INVALID_ARGUMENT))
        << name << ": " << status.error_message();
    EXPECT_FALSE(status.ok()) << name;
  }
  v1::DecodeResponse corrupt;
  EXPECT_EQ(
      Decode(*stub_, flipped, v1::OUTPUT_FORMAT_PNG, &corrupt).error_code(),
      grpc::StatusCode::DATA_LOSS);

  // Still serving, and still right.
  v1::DecodeResponse decoded;
  const grpc::Status status =
      Decode(*stub_, stream, v1::OUTPUT_FORMAT_RAW_RGB8, &decoded);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(decoded.data().size(), 64u * 64 * 3);
}

TEST_F(ServerIntegrationTest, MetricsCountRequestsByMethodAndCode) {
  const std::string metrics = MetricsAddress(*server_);
  ASSERT_FALSE(metrics.empty()) << server_->listening_line();
  auto count = [&](const std::string& method, const std::string& code) {
    absl::StatusOr<std::string> page = HttpGet(metrics, "/metrics");
    EXPECT_TRUE(page.ok()) << page.status();
    if (!page.ok()) return -1.0;
    absl::StatusOr<double> value = PrometheusValue(
        *page, "vlmc_requests_total", {{"method", method}, {"code", code}});
    return value.ok() ? *value : 0.0;
  };
  const double ok_before = count("Encode", "OK");
  const double invalid_before = count("Encode", "INVALID_ARGUMENT");
  for (int i = 0; i < 2; ++i) {
    v1::EncodeResponse response;
    ASSERT_TRUE(
        Encode(*stub_, RawEncodeRequest(CropOfSample(64, 64), 0.3), &response)
            .ok());
  }
  v1::EncodeRequest no_image;
  no_image.mutable_rate()->set_quality(0.5);
  v1::EncodeResponse response;
  EXPECT_FALSE(Encode(*stub_, no_image, &response).ok());

  EXPECT_EQ(count("Encode", "OK") - ok_before, 2.0);
  EXPECT_EQ(count("Encode", "INVALID_ARGUMENT") - invalid_before, 1.0);

  absl::StatusOr<std::string> page = HttpGet(metrics, "/metrics");
  ASSERT_TRUE(page.ok());
  for (const char* name :
       {"vlmc_request_duration_seconds_bucket", "vlmc_received_bytes_total",
        "vlmc_sent_bytes_total", "vlmc_encoded_bpp_bucket", "vlmc_queue_depth",
        "vlmc_in_flight_requests", "vlmc_model_info"}) {
    EXPECT_THAT(*page, HasSubstr(name));
  }
}

// A second server with one worker and room for one waiting request: a burst
// of concurrent full-size encodes overflows it.
TEST(ServerOverloadTest, FullQueueGetsResourceExhaustedThenDrainsOnSigterm) {
  absl::StatusOr<std::unique_ptr<ServerProcess>> server = ServerProcess::Start(
      VLMC_SERVER_BINARY,
      {"--listen", "127.0.0.1:0", "--metrics-listen", "off", "--workers", "1",
       "--queue-capacity", "1", "--max-batch", "1", "--torch-threads", "1"},
      TempPath("vlmc-server-overload"));
  ASSERT_TRUE(server.ok()) << server.status();
  std::unique_ptr<v1::VlmCodec::Stub> stub = CodecStub((*server)->address());
  const v1::EncodeRequest request =
      RawEncodeRequest(CropOfSample(768, 512), 0.5);

  constexpr int kBurst = 12;
  std::vector<std::future<grpc::Status>> calls;
  for (int i = 0; i < kBurst; ++i) {
    calls.push_back(std::async(std::launch::async, [&] {
      v1::EncodeResponse response;
      return Encode(*stub, request, &response);
    }));
  }
  int ok = 0, exhausted = 0;
  for (auto& call : calls) {
    const grpc::Status status = call.get();
    if (status.ok()) {
      ++ok;
    } else {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
          << status.error_message();
      ++exhausted;
    }
  }
  EXPECT_GE(ok, 1);
  EXPECT_GE(exhausted, 1);
  EXPECT_EQ(ok + exhausted, kBurst);

  // Work accepted before SIGTERM still completes.
  std::future<grpc::Status> in_flight = std::async(std::launch::async, [&] {
    v1::EncodeResponse response;
    return Encode(*stub, request, &response);
  });
  absl::SleepFor(absl::Milliseconds(100));
  absl::StatusOr<int> exit_status = (*server)->Stop();
  ASSERT_TRUE(exit_status.ok()) << exit_status.status();
  EXPECT_EQ(*exit_status, 0);
  const grpc::Status drained = in_flight.get();
  EXPECT_TRUE(drained.ok()) << drained.error_message();
}

}  // namespace
}  // namespace vlmc::testing
