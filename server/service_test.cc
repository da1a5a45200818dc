// The whole service in process, through a real channel on 127.0.0.1:0: every
// RPC, the bad inputs the contract names, and that the server keeps serving.
#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "models/bitstream/stream_format.h"
#include "models/image/png_codec.h"
#include "models/semantic/detector.h"
#include "server/handlers/encode_for_task_handler.h"
#include "server/service_test_util.h"
#include "server/vlmc_server.h"
#include "tests/integration/http_get.h"
#include "vlmc/v1/codec.grpc.pb.h"

namespace vlmc::service {
namespace {

using testing::WorkerBlocker;

using ::testing::HasSubstr;

class VlmcServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<VlmcServer>> server =
        VlmcServer::Start(testing::SmallServerOptions());
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
    channel_ = new std::shared_ptr<grpc::Channel>(grpc::CreateChannel(
        server_->listen_address(), grpc::InsecureChannelCredentials()));
    stub_ = v1::VlmCodec::NewStub(*channel_).release();
  }
  static void TearDownTestSuite() {
    delete stub_;
    delete channel_;
    delete server_;
  }

  void SetUp() override {
    image_ = testing::TestImage(64);
    ASSERT_EQ(image_.width, 64);
    absl::StatusOr<std::string> png = image::EncodePng(image_);
    ASSERT_TRUE(png.ok());
    png_ = *png;
  }

  static const codec::Codec& CodecV(uint32_t version) {
    return *(*server_->models().Resolve("vlmc-hp", version))->codec;
  }

  v1::EncodeRequest EncodePng(double quality) const {
    v1::EncodeRequest request;
    request.mutable_image()->set_encoded(png_);
    request.mutable_rate()->set_quality(quality);
    return request;
  }

  grpc::Status Encode(const v1::EncodeRequest& request,
                      v1::EncodeResponse* response) {
    grpc::ClientContext context;
    return stub_->Encode(&context, request, response);
  }
  grpc::Status Decode(const v1::DecodeRequest& request,
                      v1::DecodeResponse* response) {
    grpc::ClientContext context;
    return stub_->Decode(&context, request, response);
  }
  std::string StreamOf(double quality) {
    v1::EncodeResponse response;
    EXPECT_TRUE(Encode(EncodePng(quality), &response).ok());
    return response.stream();
  }

  static VlmcServer* server_;
  static std::shared_ptr<grpc::Channel>* channel_;
  static v1::VlmCodec::Stub* stub_;
  image::Image image_;
  std::string png_;
};

VlmcServer* VlmcServiceTest::server_ = nullptr;
std::shared_ptr<grpc::Channel>* VlmcServiceTest::channel_ = nullptr;
v1::VlmCodec::Stub* VlmcServiceTest::stub_ = nullptr;

TEST_F(VlmcServiceTest, GetInfoDescribesTheServer) {
  grpc::ClientContext context;
  v1::GetInfoResponse info;
  ASSERT_TRUE(stub_->GetInfo(&context, {}, &info).ok());
  ASSERT_EQ(info.models_size(), 2);
  EXPECT_EQ(info.models(0).version(), 1u);
  EXPECT_FALSE(info.models(0).is_default());
  EXPECT_EQ(info.models(1).version(), 2u);
  EXPECT_TRUE(info.models(1).is_default());
  EXPECT_EQ(info.models(1).model_id(), "vlmc-hp");
  EXPECT_EQ(info.models(1).weights_sha256_prefix().size(), 16u);
  EXPECT_EQ(info.models(1).max_quality(), 1.0);
  EXPECT_EQ(info.max_image_pixels(), 20000u);
  EXPECT_EQ(info.max_image_dimension(), 16384u);
  EXPECT_EQ(info.max_message_bytes(), 65536u);
  EXPECT_EQ(info.device(), "cpu");
  EXPECT_EQ(info.worker_threads(), 1u);
  EXPECT_EQ(info.queue_capacity(), 2u);
  EXPECT_FALSE(info.task_encoding_available());
  EXPECT_FALSE(info.server_version().empty());
}

TEST_F(VlmcServiceTest, EncodeGivesTheLibraryStreamForFileAndRawInput) {
  const absl::StatusOr<std::string> expected = CodecV(2).Compress(image_, 0.5);
  ASSERT_TRUE(expected.ok());

  v1::EncodeResponse response;
  ASSERT_TRUE(Encode(EncodePng(0.5), &response).ok());
  EXPECT_EQ(response.stream(), *expected);
  const v1::EncodeStats& stats = response.stats();
  EXPECT_EQ(stats.width(), 64u);
  EXPECT_EQ(stats.height(), 64u);
  EXPECT_EQ(stats.stream_bytes(), expected->size());
  EXPECT_DOUBLE_EQ(stats.bpp(), expected->size() * 8.0 / (64 * 64));
  EXPECT_DOUBLE_EQ(stats.quality(), 0.5);
  EXPECT_TRUE(stats.target_met());
  EXPECT_EQ(stats.encode_passes(), 1u);
  EXPECT_GE(stats.encode_ms(), 0.0);
  EXPECT_EQ(stats.model_id(), "vlmc-hp");
  EXPECT_EQ(stats.model_version(), 2u);

  v1::EncodeRequest raw = EncodePng(0.5);
  raw.mutable_image()->mutable_raw()->set_width(64);
  raw.mutable_image()->mutable_raw()->set_height(64);
  raw.mutable_image()->mutable_raw()->set_data(image_.rgb.data(),
                                               image_.rgb.size());
  ASSERT_TRUE(Encode(raw, &response).ok());
  EXPECT_EQ(response.stream(), *expected);
}

TEST_F(VlmcServiceTest, OlderVersionEncodesAndItsStreamsDecode) {
  v1::EncodeRequest request = EncodePng(0.25);
  request.mutable_model()->set_version(1);
  v1::EncodeResponse encoded;
  ASSERT_TRUE(Encode(request, &encoded).ok());
  EXPECT_EQ(encoded.stream(), *CodecV(1).Compress(image_, 0.25));
  EXPECT_EQ(encoded.stats().model_version(), 1u);

  v1::DecodeRequest decode;
  decode.set_stream(encoded.stream());
  decode.set_format(v1::OUTPUT_FORMAT_RAW_RGB8);
  v1::DecodeResponse decoded;
  ASSERT_TRUE(Decode(decode, &decoded).ok());
  EXPECT_EQ(decoded.model_version(), 1u);
  const image::Image expected = *CodecV(1).Decompress(encoded.stream());
  EXPECT_EQ(decoded.data(),
            std::string(expected.rgb.begin(), expected.rgb.end()));
}

TEST_F(VlmcServiceTest, DecodeGivesPngRawAndFloatTensor) {
  const std::string stream = StreamOf(0.75);
  const image::Image expected = *CodecV(2).Decompress(stream);

  v1::DecodeRequest request;
  request.set_stream(stream);
  v1::DecodeResponse png;
  ASSERT_TRUE(Decode(request, &png).ok());
  EXPECT_EQ(png.format(), v1::OUTPUT_FORMAT_PNG);
  EXPECT_EQ(png.width(), 64u);
  EXPECT_EQ(png.height(), 64u);
  EXPECT_EQ(png.model_id(), "vlmc-hp");
  EXPECT_EQ(png.model_version(), 2u);
  EXPECT_NEAR(png.quality(), 0.75, 1e-4);
  absl::StatusOr<image::Image> from_png = image::DecodePng(png.data());
  ASSERT_TRUE(from_png.ok());
  EXPECT_EQ(from_png->rgb, expected.rgb);

  request.set_format(v1::OUTPUT_FORMAT_RAW_RGB8);
  v1::DecodeResponse raw;
  ASSERT_TRUE(Decode(request, &raw).ok());
  EXPECT_EQ(raw.data(), std::string(expected.rgb.begin(), expected.rgb.end()));

  request.set_format(v1::OUTPUT_FORMAT_FLOAT32_NCHW);
  v1::DecodeResponse tensor;
  ASSERT_TRUE(Decode(request, &tensor).ok());
  EXPECT_THAT(tensor.tensor_shape(), ::testing::ElementsAre(1, 3, 64, 64));
  ASSERT_EQ(tensor.data().size(), 3u * 64 * 64 * 4);
  // Channel 1 (green) of pixel (x=5, y=7), little-endian float32.
  const size_t index = 1 * 64 * 64 + 7 * 64 + 5;
  const unsigned char* bytes =
      reinterpret_cast<const unsigned char*>(tensor.data().data()) + index * 4;
  const uint32_t bits = bytes[0] | bytes[1] << 8 | bytes[2] << 16 |
                        static_cast<uint32_t>(bytes[3]) << 24;
  float value;
  std::memcpy(&value, &bits, sizeof(value));
  EXPECT_FLOAT_EQ(value, expected.rgb[(7 * 64 + 5) * 3 + 1] / 255.0f);
}

TEST_F(VlmcServiceTest, ByteAndBppTargetsSearchTheRate) {
  const size_t small = StreamOf(0.0).size(), large = StreamOf(1.0).size();
  ASSERT_LT(small, large);
  v1::EncodeRequest request = EncodePng(0);
  request.mutable_rate()->set_max_bytes((small + large) / 2);
  v1::EncodeResponse response;
  ASSERT_TRUE(Encode(request, &response).ok());
  EXPECT_LE(response.stream().size(), (small + large) / 2);
  EXPECT_TRUE(response.stats().target_met());
  EXPECT_GT(response.stats().encode_passes(), 1u);

  request.mutable_rate()->set_target_bpp(0.001);
  ASSERT_TRUE(Encode(request, &response).ok());
  EXPECT_FALSE(response.stats().target_met());
  EXPECT_EQ(response.stream().size(), small);
  EXPECT_EQ(response.stats().downscale(), 1u);
}

TEST_F(VlmcServiceTest, CodedResolutionReachesTheCodec) {
  v1::EncodeRequest request = EncodePng(0.5);
  request.mutable_rate()->set_resolution(v1::CODED_RESOLUTION_HALF);
  v1::EncodeResponse response;
  ASSERT_TRUE(Encode(request, &response).ok());
  EXPECT_EQ(response.stats().downscale(), 2u);
  EXPECT_EQ(static_cast<uint8_t>(response.stream()[4]), 3);  // format 3
  EXPECT_EQ(static_cast<uint8_t>(response.stream()[5]), 1);  // flags: 1/2
  codec::EncodeOptions half;
  half.downscale = 2;
  EXPECT_EQ(response.stream(), *CodecV(0).Compress(image_, 0.5, half));

  // Automatic: the codec's own choice, reported in the stats.
  request.mutable_rate()->set_resolution(v1::CODED_RESOLUTION_AUTO);
  ASSERT_TRUE(Encode(request, &response).ok());
  codec::EncodeOptions automatic;
  automatic.downscale = codec::kAutomaticDownscale;
  EXPECT_EQ(response.stream(), *CodecV(0).Compress(image_, 0.5, automatic));
  EXPECT_EQ(response.stats().downscale(),
            1u << static_cast<uint8_t>(response.stream()[5]));
}

TEST_F(VlmcServiceTest, StreamingCallsJoinChunksLikeTheUnaryCalls) {
  grpc::ClientContext encode_context;
  auto encode = stub_->EncodeStream(&encode_context);
  v1::EncodeRequest first;
  first.mutable_rate()->set_quality(0.5);
  first.mutable_image()->set_encoded("");
  ASSERT_TRUE(encode->Write(first));
  for (size_t offset = 0; offset < png_.size(); offset += 1000) {
    v1::EncodeRequest chunk;
    chunk.set_chunk(png_.substr(offset, 1000));
    ASSERT_TRUE(encode->Write(chunk));
  }
  ASSERT_TRUE(encode->WritesDone());
  std::string stream;
  v1::EncodeResponse part;
  v1::EncodeStats stats;
  for (bool first_part = true; encode->Read(&part); first_part = false) {
    if (first_part) stats = part.stats();
    EXPECT_TRUE(part.stream().empty());
    stream += part.chunk();
  }
  ASSERT_TRUE(encode->Finish().ok());
  EXPECT_EQ(stream, *CodecV(2).Compress(image_, 0.5));
  EXPECT_EQ(stats.stream_bytes(), stream.size());

  grpc::ClientContext decode_context;
  auto decode = stub_->DecodeStream(&decode_context);
  v1::DecodeRequest header;
  header.set_format(v1::OUTPUT_FORMAT_RAW_RGB8);
  header.set_chunk(stream.substr(0, 10));
  ASSERT_TRUE(decode->Write(header));
  v1::DecodeRequest rest;
  rest.set_chunk(stream.substr(10));
  ASSERT_TRUE(decode->Write(rest));
  ASSERT_TRUE(decode->WritesDone());
  std::string pixels;
  v1::DecodeResponse decoded;
  uint32_t width = 0;
  while (decode->Read(&decoded)) {
    if (width == 0) width = decoded.width();
    pixels += decoded.chunk();
  }
  ASSERT_TRUE(decode->Finish().ok());
  EXPECT_EQ(width, 64u);
  const image::Image expected = *CodecV(2).Decompress(stream);
  EXPECT_EQ(pixels, std::string(expected.rgb.begin(), expected.rgb.end()));
}

TEST_F(VlmcServiceTest, ResponsesOverTheUnaryLimitPointToTheStreamCall) {
  const image::Image big = testing::TestImage(128);
  const std::string stream = *CodecV(2).Compress(big, 0.5);
  v1::DecodeRequest request;
  request.set_stream(stream);
  request.set_format(v1::OUTPUT_FORMAT_FLOAT32_NCHW);  // 196608 bytes
  v1::DecodeResponse response;
  grpc::Status status = Decode(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("DecodeStream"));

  grpc::ClientContext context;
  auto call = stub_->DecodeStream(&context);
  ASSERT_TRUE(call->Write(request));
  ASSERT_TRUE(call->WritesDone());
  size_t bytes = 0;
  while (call->Read(&response)) bytes += response.chunk().size();
  ASSERT_TRUE(call->Finish().ok());
  EXPECT_EQ(bytes, 3u * 128 * 128 * 4);
}

TEST_F(VlmcServiceTest, BadEncodeRequestsGetTheContractCodes) {
  struct Case {
    const char* what;
    v1::EncodeRequest request;
    grpc::StatusCode code;
  };
  std::vector<Case> cases;
  auto add = [&](const char* what, grpc::StatusCode code, auto edit) {
    v1::EncodeRequest request = EncodePng(0.5);
    edit(request);
    cases.push_back({what, request, code});
  };
  using grpc::StatusCode;
  add("no image", StatusCode::INVALID_ARGUMENT,
      [](v1::EncodeRequest& r) { r.clear_image(); });
  add("empty file", StatusCode::INVALID_ARGUMENT,
      [](v1::EncodeRequest& r) { r.mutable_image()->set_encoded(""); });
  add("not an image", StatusCode::INVALID_ARGUMENT, [](v1::EncodeRequest& r) {
    r.mutable_image()->set_encoded("hello, world");
  });
  add("truncated png", StatusCode::INVALID_ARGUMENT, [](v1::EncodeRequest& r) {
    r.mutable_image()->set_encoded(r.image().encoded().substr(0, 100));
  });
  add("huge declared png", StatusCode::INVALID_ARGUMENT,
      [](v1::EncodeRequest& r) {
        r.mutable_image()->set_encoded(testing::PngDeclaring(100000, 100000));
      });
  add("over max pixels", StatusCode::INVALID_ARGUMENT,
      [](v1::EncodeRequest& r) {
        r.mutable_image()->set_encoded(testing::PngDeclaring(200, 200));
      });
  add("raw size mismatch", StatusCode::INVALID_ARGUMENT,
      [](v1::EncodeRequest& r) {
        v1::RawImage& raw = *r.mutable_image()->mutable_raw();
        raw.set_width(8);
        raw.set_height(8);
        raw.set_data(std::string(8 * 8 * 3 - 1, 'x'));
      });
  add("raw zero width", StatusCode::INVALID_ARGUMENT, [](v1::EncodeRequest& r) {
    r.mutable_image()->mutable_raw()->set_height(8);
  });
  add("no rate", StatusCode::INVALID_ARGUMENT,
      [](v1::EncodeRequest& r) { r.clear_rate(); });
  add("quality above 1", StatusCode::INVALID_ARGUMENT,
      [](v1::EncodeRequest& r) { r.mutable_rate()->set_quality(1.5); });
  add("negative bpp", StatusCode::INVALID_ARGUMENT,
      [](v1::EncodeRequest& r) { r.mutable_rate()->set_target_bpp(-1); });
  add("zero bytes", StatusCode::INVALID_ARGUMENT,
      [](v1::EncodeRequest& r) { r.mutable_rate()->set_max_bytes(0); });
  add("unknown resolution", StatusCode::INVALID_ARGUMENT,
      [](v1::EncodeRequest& r) {
        r.mutable_rate()->set_resolution(static_cast<v1::CodedResolution>(9));
      });
  add("unknown model", StatusCode::FAILED_PRECONDITION,
      [](v1::EncodeRequest& r) { r.mutable_model()->set_model_id("jpeg"); });
  add("unknown version", StatusCode::FAILED_PRECONDITION,
      [](v1::EncodeRequest& r) { r.mutable_model()->set_version(9); });

  for (const Case& c : cases) {
    v1::EncodeResponse response;
    const grpc::Status status = Encode(c.request, &response);
    EXPECT_EQ(status.error_code(), c.code)
        << c.what << ": " << status.error_message();
    EXPECT_FALSE(status.error_message().empty()) << c.what;
  }
  // Still serving.
  EXPECT_EQ(StreamOf(0.5), *CodecV(2).Compress(image_, 0.5));
}

TEST_F(VlmcServiceTest, BadDecodeRequestsGetTheContractCodes) {
  const std::string stream = StreamOf(0.5);
  std::string corrupt = stream;
  corrupt[corrupt.size() / 2] ^= 0x5a;
  bitstream::StreamHeader foreign;
  foreign.model_id = "vlmc-hp";
  foreign.model_version = 9;
  foreign.width = foreign.height = 16;
  const std::string foreign_stream =
      *bitstream::WriteStream(foreign, "zz", "yy");
  // A decompression bomb: a few bytes declaring 4096x4096 pixels, far over
  // this server's 20000-pixel limit; refused from the header, before any
  // decoding or allocation.
  bitstream::StreamHeader huge = foreign;
  huge.model_version = 2;
  huge.width = huge.height = 4096;
  const std::string bomb = *bitstream::WriteStream(huge, "zz", "yy");

  struct Case {
    const char* what;
    std::string stream;
    int format;
    grpc::StatusCode code;
  };
  using grpc::StatusCode;
  const Case cases[] = {
      {"empty", "", 0, StatusCode::INVALID_ARGUMENT},
      {"not a stream", "PNG?", 0, StatusCode::INVALID_ARGUMENT},
      {"truncated", stream.substr(0, stream.size() - 3), 0,
       StatusCode::DATA_LOSS},
      {"corrupt", corrupt, 0, StatusCode::DATA_LOSS},
      {"unknown model", foreign_stream, 0, StatusCode::FAILED_PRECONDITION},
      {"declares too many pixels", bomb, 0, StatusCode::INVALID_ARGUMENT},
      {"unknown format", stream, 17, StatusCode::INVALID_ARGUMENT},
  };
  for (const Case& c : cases) {
    v1::DecodeRequest request;
    request.set_stream(c.stream);
    request.set_format(static_cast<v1::OutputFormat>(c.format));
    v1::DecodeResponse response;
    const grpc::Status status = Decode(request, &response);
    EXPECT_EQ(status.error_code(), c.code)
        << c.what << ": " << status.error_message();
  }
  v1::DecodeRequest good;
  good.set_stream(stream);
  v1::DecodeResponse response;
  EXPECT_TRUE(Decode(good, &response).ok());
}

TEST_F(VlmcServiceTest, BadStreamingCalls) {
  {
    grpc::ClientContext context;
    auto call = stub_->EncodeStream(&context);
    ASSERT_TRUE(call->WritesDone());
    v1::EncodeResponse response;
    EXPECT_FALSE(call->Read(&response));
    EXPECT_EQ(call->Finish().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  }
  {
    // Beyond the streamed payload limit (20000 px * 8 + 1 MiB here).
    grpc::ClientContext context;
    auto call = stub_->EncodeStream(&context);
    v1::EncodeRequest chunk;
    chunk.set_chunk(std::string(60000, 'x'));
    for (int i = 0; i < 25 && call->Write(chunk); ++i) {
    }
    call->WritesDone();
    v1::EncodeResponse response;
    EXPECT_FALSE(call->Read(&response));
    const grpc::Status status = call->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(status.error_message(), HasSubstr("limit"));
  }
  {
    grpc::ClientContext context;
    auto call = stub_->DecodeStream(&context);
    v1::DecodeRequest request;
    request.set_chunk("VLMC\x01 broken");
    ASSERT_TRUE(call->Write(request));
    ASSERT_TRUE(call->WritesDone());
    v1::DecodeResponse response;
    EXPECT_FALSE(call->Read(&response));
    EXPECT_EQ(call->Finish().error_code(), grpc::StatusCode::DATA_LOSS);
  }
}

TEST_F(VlmcServiceTest, EncodeForTaskWithoutSemanticModelsSaysHowToFixIt) {
  v1::EncodeForTaskRequest request;
  request.mutable_image()->set_encoded(png_);
  request.mutable_task()->set_min_token_cosine(0.9);
  grpc::ClientContext context;
  v1::EncodeForTaskResponse response;
  const grpc::Status status =
      stub_->EncodeForTask(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("fetch-models.sh"));
}

TEST_F(VlmcServiceTest, FullQueueIsResourceExhausted) {
  WorkerBlocker blocker(server_->work_queue());
  for (int i = 0; i < 2; ++i) {  // the capacity
    WorkQueue::Job filler;
    filler.run = [] {};
    filler.skip = [](const absl::Status&) {};
    ASSERT_TRUE(server_->work_queue().Submit(std::move(filler)).ok());
  }
  v1::EncodeResponse response;
  const grpc::Status status = Encode(EncodePng(0.5), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  blocker.Release();
  while (server_->work_queue().queue_depth() > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_TRUE(Encode(EncodePng(0.5), &response).ok());
}

TEST_F(VlmcServiceTest, CallWhoseDeadlinePassesInTheQueueIsNotRun) {
  const prometheus::Registry& registry = *server_->metrics().registry();
  // Server side the expired call ends as DEADLINE_EXCEEDED, or as CANCELLED
  // when the client's cancellation arrives before the server's own (slightly
  // later) deadline; either way it must not run.
  auto skipped = [&] {
    return testing::RequestCount(registry, "Encode", "DEADLINE_EXCEEDED") +
           testing::RequestCount(registry, "Encode", "CANCELLED");
  };
  const double skipped_before = skipped();
  const double ok_before = testing::RequestCount(registry, "Encode", "OK");
  {
    WorkerBlocker blocker(server_->work_queue());
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::milliseconds(200));
    v1::EncodeResponse response;
    const grpc::Status status =
        stub_->Encode(&context, EncodePng(0.5), &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
    // The server's deadline for the call is the client's plus the transit
    // time; give it ample margin to pass before the worker is free.
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  // The server finishes the queued call itself once the worker is free.
  for (int i = 0; i < 1000 && skipped() == skipped_before; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(skipped(), skipped_before + 1);
  EXPECT_EQ(testing::RequestCount(registry, "Encode", "OK"), ok_before);
}

TEST_F(VlmcServiceTest, HealthAndReflectionAreServed) {
  // grpc.health.v1.HealthCheckResponse{status: SERVING} is 08 01.
  absl::StatusOr<std::string> health =
      testing::RawUnaryCall(**channel_, "/grpc.health.v1.Health/Check", "");
  ASSERT_TRUE(health.ok()) << health.status();
  EXPECT_EQ(*health, std::string("\x08\x01", 2));
  const std::string service = "vlmc.v1.VlmCodec";
  health = testing::RawUnaryCall(
      **channel_, "/grpc.health.v1.Health/Check",
      std::string(1, '\x0a') + static_cast<char>(service.size()) + service);
  ASSERT_TRUE(health.ok()) << health.status();
  EXPECT_EQ(*health, std::string("\x08\x01", 2));

  absl::StatusOr<std::string> services =
      testing::ReflectionListServices(**channel_);
  ASSERT_TRUE(services.ok()) << services.status();
  EXPECT_THAT(*services, HasSubstr("vlmc.v1.VlmCodec"));
  EXPECT_THAT(*services, HasSubstr("grpc.health.v1.Health"));
}

TEST_F(VlmcServiceTest, MetricsEndpointServesTheServiceMetrics) {
  StreamOf(0.5);
  absl::StatusOr<std::string> text =
      vlmc::testing::HttpGet(server_->metrics_address(), "/metrics");
  ASSERT_TRUE(text.ok()) << text.status();
  for (const char* line :
       {"vlmc_requests_total{code=\"OK\",method=\"Encode\"}",
        "vlmc_request_duration_seconds_bucket{method=\"Encode\"",
        "vlmc_received_bytes_total{method=\"Encode\"}",
        "vlmc_sent_bytes_total{method=\"Encode\"}", "vlmc_encoded_bpp_count",
        "vlmc_queue_depth", "vlmc_in_flight_requests",
        // SmallServerOptions() sets --queue-capacity 2.
        "vlmc_queue_capacity 2",
        "vlmc_model_info{default=\"true\",model_id=\"vlmc-hp\",version="
        "\"2\""}) {
    EXPECT_THAT(*text, HasSubstr(line));
  }
}

TEST(VlmcServerShutdownTest, QueuedCallsFinishDuringTheGrace) {
  ServerOptions options = testing::SmallServerOptions();
  options.metrics_listen.clear();
  absl::StatusOr<std::unique_ptr<VlmcServer>> server =
      VlmcServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_TRUE((*server)->metrics_address().empty());
  auto stub = v1::VlmCodec::NewStub(grpc::CreateChannel(
      (*server)->listen_address(), grpc::InsecureChannelCredentials()));
  absl::StatusOr<std::string> png = image::EncodePng(testing::TestImage(64));
  ASSERT_TRUE(png.ok());
  v1::EncodeRequest request;
  request.mutable_image()->set_encoded(*png);
  request.mutable_rate()->set_quality(0.5);

  WorkerBlocker blocker((*server)->work_queue());
  std::future<grpc::Status> queued = std::async(std::launch::async, [&] {
    grpc::ClientContext context;
    v1::EncodeResponse response;
    return stub->Encode(&context, request, &response);
  });
  while ((*server)->work_queue().queue_depth() == 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::atomic<bool> stopped{false};
  std::thread stopper([&] {
    (*server)->Shutdown(absl::Seconds(30));
    stopped = true;
  });
  // Shutdown cannot complete while a call waits for the blocked worker.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(stopped.load());
  blocker.Release();
  EXPECT_TRUE(queued.get().ok());
  stopper.join();

  grpc::ClientContext context;
  v1::EncodeResponse response;
  EXPECT_EQ(stub->Encode(&context, request, &response).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

// EncodeForTask on the real semantic models (skipped without
// scripts/fetch-models.sh): the smallest stream that keeps the tokens.
class EncodeForTaskTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::filesystem::exists(semantic::DefaultSemanticModelDir() +
                                 "/centernet.json")) {
      return;
    }
    ServerOptions options = testing::SmallServerOptions();
    options.semantic_model_dir.clear();  // the default cache
    options.metrics_listen.clear();
    absl::StatusOr<std::unique_ptr<VlmcServer>> server =
        VlmcServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
    stub_ = v1::VlmCodec::NewStub(
                grpc::CreateChannel(server_->listen_address(),
                                    grpc::InsecureChannelCredentials()))
                .release();
  }
  static void TearDownTestSuite() {
    delete stub_;
    delete server_;
  }
  void SetUp() override {
    if (server_ == nullptr) {
      GTEST_SKIP() << "no semantic models in "
                   << semantic::DefaultSemanticModelDir()
                   << ": run scripts/fetch-models.sh";
    }
  }

  static v1::EncodeForTaskRequest TokenRequest(double min_cosine) {
    v1::EncodeForTaskRequest request;
    request.mutable_image()->set_encoded(
        *image::EncodePng(testing::TestImage(64)));
    request.mutable_task()->set_min_token_cosine(min_cosine);
    request.set_max_passes(2);
    return request;
  }
  grpc::Status Call(const v1::EncodeForTaskRequest& request,
                    v1::EncodeForTaskResponse* response) {
    grpc::ClientContext context;
    return stub_->EncodeForTask(&context, request, response);
  }

  static VlmcServer* server_;
  static v1::VlmCodec::Stub* stub_;
};

VlmcServer* EncodeForTaskTest::server_ = nullptr;
v1::VlmCodec::Stub* EncodeForTaskTest::stub_ = nullptr;

TEST_F(EncodeForTaskTest, ReturnsAStreamWithItsMeasuredFidelity) {
  v1::EncodeForTaskResponse response;
  const grpc::Status status = Call(TokenRequest(0.5), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_GE(response.achieved_fidelity(), 0.0);
  EXPECT_LE(response.achieved_fidelity(), 1.0);
  if (response.target_met()) EXPECT_GE(response.achieved_fidelity(), 0.5);
  EXPECT_EQ(response.stats().target_met(), response.target_met());
  EXPECT_GE(response.stats().encode_passes(), 1u);
  EXPECT_LE(response.stats().encode_passes(), 2u);
  EXPECT_EQ(response.stats().stream_bytes(), response.stream().size());
  const codec::Codec& codec = *(*server_->models().Resolve("", 0))->codec;
  EXPECT_TRUE(codec.Decompress(response.stream()).ok());
}

TEST_F(EncodeForTaskTest, BadTaskSpecsAreInvalidArgument) {
  v1::EncodeForTaskRequest no_task = TokenRequest(0.5);
  no_task.clear_task();
  v1::EncodeForTaskRequest zero = TokenRequest(0.0);
  v1::EncodeForTaskRequest above_one = TokenRequest(0.5);
  above_one.mutable_task()->set_min_detection_agreement(1.5);
  v1::EncodeForTaskRequest one_pass = TokenRequest(0.5);
  one_pass.set_max_passes(1);
  v1::EncodeForTaskRequest too_many_passes = TokenRequest(0.5);
  too_many_passes.set_max_passes(kMaxTaskPasses + 1);
  v1::EncodeForTaskRequest no_image = TokenRequest(0.5);
  no_image.clear_image();
  for (const v1::EncodeForTaskRequest& request :
       {no_task, zero, above_one, one_pass, too_many_passes, no_image}) {
    v1::EncodeForTaskResponse response;
    EXPECT_EQ(Call(request, &response).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT)
        << request.ShortDebugString().substr(0, 200);
  }
  v1::EncodeForTaskRequest unknown_model = TokenRequest(0.5);
  unknown_model.mutable_model()->set_version(9);
  v1::EncodeForTaskResponse response;
  EXPECT_EQ(Call(unknown_model, &response).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

}  // namespace
}  // namespace vlmc::service
