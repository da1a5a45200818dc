// CodecClient, LvlmClient and LvlmForwarder against in-process fake servers
// on 127.0.0.1 (a port picked at run time).
#include "client/codec_client.h"

#include <atomic>
#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "client/lvlm_client.h"
#include "client/lvlm_forwarder.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "models/bitstream/stream_format.h"
#include "vlmc/v1/lvlm.grpc.pb.h"

namespace vlmc {
namespace {

// Echoes payloads back (Encode: the image bytes become the stream; Decode:
// the stream becomes the data), counts calls, and can fail or stall on
// demand. Its receive limit is gRPC's default 4 MiB, like a real server's.
class FakeCodec final : public v1::VlmCodec::Service {
 public:
  // The next `count` calls fail with `code` before doing anything.
  void FailNext(int count, grpc::StatusCode code) {
    failures_left_ = count;
    failure_code_ = code;
  }
  // Every call waits for its deadline (or 10 s) instead of answering.
  void Stall() { stall_ = true; }
  // Payload bytes per response message of the chunked calls.
  void SetResponseChunkBytes(size_t bytes) { response_chunk_bytes_ = bytes; }

  std::atomic<int> attempts{0};
  std::atomic<int> unary_calls{0};
  std::atomic<int> chunked_calls{0};
  std::atomic<int> chunked_messages_in{0};
  std::atomic<int> chunked_messages_out{0};

  v1::EncodeRequest first_encode_message() {
    absl::MutexLock lock(&mutex_);
    return first_encode_message_;
  }
  v1::DecodeRequest first_decode_message() {
    absl::MutexLock lock(&mutex_);
    return first_decode_message_;
  }

  grpc::Status Encode(grpc::ServerContext* context,
                      const v1::EncodeRequest* request,
                      v1::EncodeResponse* response) override {
    if (grpc::Status s = Begin(context); !s.ok()) return s;
    ++unary_calls;
    *response = EncodeAnswer(*request, request->image().encoded());
    response->set_stream(request->image().encoded());
    return grpc::Status::OK;
  }

  grpc::Status EncodeStream(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<v1::EncodeResponse, v1::EncodeRequest>* stream)
      override {
    if (grpc::Status s = Begin(context); !s.ok()) return s;
    ++chunked_calls;
    v1::EncodeRequest first, message;
    std::string payload;
    for (int i = 0; stream->Read(&message); ++i) {
      payload += message.chunk();
      ++chunked_messages_in;
      if (i == 0) first = message;
    }
    {
      absl::MutexLock lock(&mutex_);
      first_encode_message_ = first;
    }
    v1::EncodeResponse head = EncodeAnswer(first, payload);
    WriteChunks(stream, head, payload);
    return grpc::Status::OK;
  }

  grpc::Status Decode(grpc::ServerContext* context,
                      const v1::DecodeRequest* request,
                      v1::DecodeResponse* response) override {
    if (grpc::Status s = Begin(context); !s.ok()) return s;
    ++unary_calls;
    *response = DecodeAnswer(*request);
    response->set_data(request->stream());
    return grpc::Status::OK;
  }

  grpc::Status DecodeStream(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<v1::DecodeResponse, v1::DecodeRequest>* stream)
      override {
    if (grpc::Status s = Begin(context); !s.ok()) return s;
    ++chunked_calls;
    v1::DecodeRequest first, message;
    std::string payload;
    for (int i = 0; stream->Read(&message); ++i) {
      payload += message.chunk();
      ++chunked_messages_in;
      if (i == 0) first = message;
    }
    {
      absl::MutexLock lock(&mutex_);
      first_decode_message_ = first;
    }
    WriteChunks(stream, DecodeAnswer(first), payload);
    return grpc::Status::OK;
  }

  grpc::Status GetInfo(grpc::ServerContext* context, const v1::GetInfoRequest*,
                       v1::GetInfoResponse* response) override {
    if (grpc::Status s = Begin(context); !s.ok()) return s;
    ++unary_calls;
    response->set_server_version("fake");
    response->add_models()->set_model_id("vlmc-hp");
    return grpc::Status::OK;
  }

  grpc::Status EncodeForTask(grpc::ServerContext* context,
                             const v1::EncodeForTaskRequest* request,
                             v1::EncodeForTaskResponse* response) override {
    if (grpc::Status s = Begin(context); !s.ok()) return s;
    ++unary_calls;
    response->set_stream(request->image().encoded());
    response->set_achieved_fidelity(request->task().min_token_cosine());
    return grpc::Status::OK;
  }

 private:
  grpc::Status Begin(grpc::ServerContext* context) {
    ++attempts;
    if (stall_) {
      const absl::Time give_up = absl::Now() + absl::Seconds(10);
      while (!context->IsCancelled() && absl::Now() < give_up)
        absl::SleepFor(absl::Milliseconds(5));
      return grpc::Status(grpc::StatusCode::INTERNAL, "stalled");
    }
    if (failures_left_.fetch_sub(1) > 0)
      return grpc::Status(failure_code_, "injected failure");
    return grpc::Status::OK;
  }

  static v1::EncodeResponse EncodeAnswer(const v1::EncodeRequest& request,
                                         const std::string& payload) {
    v1::EncodeResponse response;
    response.mutable_stats()->set_stream_bytes(payload.size());
    response.mutable_stats()->set_quality(request.rate().quality());
    response.mutable_stats()->set_model_id(request.model().model_id());
    return response;
  }

  static v1::DecodeResponse DecodeAnswer(const v1::DecodeRequest& request) {
    v1::DecodeResponse response;
    response.set_format(request.format());
    response.set_width(7);
    response.set_model_id("vlmc-hp");
    return response;
  }

  template <typename Response, typename Request>
  void WriteChunks(grpc::ServerReaderWriter<Response, Request>* stream,
                   Response head, const std::string& payload) {
    Response message = std::move(head);
    size_t offset = 0;
    do {
      const size_t n = std::min(response_chunk_bytes_, payload.size() - offset);
      message.set_chunk(payload.substr(offset, n));
      offset += n;
      stream->Write(message);
      ++chunked_messages_out;
      message.Clear();
    } while (offset < payload.size());
  }

  std::atomic<int> failures_left_{0};
  grpc::StatusCode failure_code_ = grpc::StatusCode::OK;
  std::atomic<bool> stall_{false};
  size_t response_chunk_bytes_ = 1 << 20;
  absl::Mutex mutex_;
  v1::EncodeRequest first_encode_message_ ABSL_GUARDED_BY(mutex_);
  v1::DecodeRequest first_decode_message_ ABSL_GUARDED_BY(mutex_);
};

// Records what it was asked and answers "ok".
class FakeLvlm final : public v1::LvlmService::Service {
 public:
  grpc::Status Infer(grpc::ServerContext*, const v1::InferRequest* request,
                     v1::InferResponse* response) override {
    absl::MutexLock lock(&mutex_);
    last_request_ = *request;
    if (fail_code_ != grpc::StatusCode::OK)
      return grpc::Status(fail_code_, "lvlm says no");
    response->set_text("ok");
    response->set_model("fake-lvlm");
    response->set_infer_ms(1.5);
    return grpc::Status::OK;
  }
  void Fail(grpc::StatusCode code) {
    absl::MutexLock lock(&mutex_);
    fail_code_ = code;
  }
  v1::InferRequest last_request() {
    absl::MutexLock lock(&mutex_);
    return last_request_;
  }

 private:
  absl::Mutex mutex_;
  v1::InferRequest last_request_ ABSL_GUARDED_BY(mutex_);
  grpc::StatusCode fail_code_ ABSL_GUARDED_BY(mutex_) = grpc::StatusCode::OK;
};

// A server on 127.0.0.1 with a port chosen by the OS and gRPC's default
// 4 MiB receive limit.
struct LocalServer {
  explicit LocalServer(grpc::Service* service) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(service);
    server = builder.BuildAndStart();
  }
  ~LocalServer() { server->Shutdown(); }
  std::string target() const { return "127.0.0.1:" + std::to_string(port); }

  int port = 0;
  std::unique_ptr<grpc::Server> server;
};

ClientOptions FastRetries() {
  ClientOptions options;
  options.retry.max_attempts = 3;
  options.retry.initial_backoff = absl::Milliseconds(1);
  options.retry.max_backoff = absl::Milliseconds(4);
  options.timeout = absl::Seconds(10);
  return options;
}

v1::EncodeRequest EncodeRequestFor(std::string image_bytes) {
  v1::EncodeRequest request;
  request.mutable_image()->set_encoded(std::move(image_bytes));
  request.mutable_rate()->set_quality(0.25);
  request.mutable_model()->set_model_id("vlmc-hp");
  return request;
}

// Bytes that differ at every position, so a misplaced chunk shows.
std::string Pattern(size_t size) {
  std::string bytes(size, '\0');
  for (size_t i = 0; i < size; ++i)
    bytes[i] = static_cast<char>((i * 131 + i / 251) & 0xff);
  return bytes;
}

// A valid .vlmc stream whose header declares width x height.
std::string StreamOfSize(uint32_t width, uint32_t height) {
  bitstream::StreamHeader header;
  header.model_id = "vlmc-hp";
  header.model_version = 2;
  header.width = width;
  header.height = height;
  absl::StatusOr<std::string> stream =
      bitstream::WriteStream(header, "zz", "yyyy");
  EXPECT_TRUE(stream.ok()) << stream.status();
  return stream.ok() ? *stream : "";
}

class CodecClientTest : public testing::Test {
 protected:
  std::unique_ptr<CodecClient> Client(const ClientOptions& options) {
    absl::StatusOr<std::unique_ptr<CodecClient>> client =
        CodecClient::Create(server_.target(), options);
    EXPECT_TRUE(client.ok()) << client.status();
    return client.ok() ? std::move(*client) : nullptr;
  }

  FakeCodec fake_;
  LocalServer server_{&fake_};
};

TEST_F(CodecClientTest, SmallRequestsAreUnary) {
  std::unique_ptr<CodecClient> client = Client(FastRetries());
  absl::StatusOr<v1::EncodeResponse> encoded =
      client->Encode(EncodeRequestFor("png bytes"));
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  EXPECT_EQ(encoded->stream(), "png bytes");
  EXPECT_DOUBLE_EQ(encoded->stats().quality(), 0.25);

  v1::DecodeRequest decode;
  decode.set_stream(StreamOfSize(10, 10));
  decode.set_format(v1::OUTPUT_FORMAT_FLOAT32_NCHW);
  absl::StatusOr<v1::DecodeResponse> decoded = client->Decode(decode);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->data(), decode.stream());

  absl::StatusOr<v1::GetInfoResponse> info = client->GetInfo();
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->server_version(), "fake");

  v1::EncodeForTaskRequest task;
  task.mutable_image()->set_encoded("img");
  task.mutable_task()->set_min_token_cosine(0.9);
  absl::StatusOr<v1::EncodeForTaskResponse> for_task =
      client->EncodeForTask(task);
  ASSERT_TRUE(for_task.ok()) << for_task.status();
  EXPECT_DOUBLE_EQ(for_task->achieved_fidelity(), 0.9);

  EXPECT_EQ(fake_.unary_calls, 4);
  EXPECT_EQ(fake_.chunked_calls, 0);
}

TEST_F(CodecClientTest, RetriesUnavailableUntilItSucceeds) {
  fake_.FailNext(2, grpc::StatusCode::UNAVAILABLE);
  absl::StatusOr<v1::EncodeResponse> encoded =
      Client(FastRetries())->Encode(EncodeRequestFor("x"));
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  EXPECT_EQ(encoded->stream(), "x");
  EXPECT_EQ(fake_.attempts, 3);
}

TEST_F(CodecClientTest, GivesUpAfterMaxAttemptsWithTheServersMessage) {
  fake_.FailNext(100, grpc::StatusCode::UNAVAILABLE);
  absl::StatusOr<v1::GetInfoResponse> info = Client(FastRetries())->GetInfo();
  EXPECT_EQ(info.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(info.status().message().find("injected failure"),
            absl::string_view::npos)
      << info.status();
  EXPECT_NE(info.status().message().find("(3 attempts)"),
            absl::string_view::npos)
      << info.status();
  EXPECT_EQ(fake_.attempts, 3);
}

TEST_F(CodecClientTest, NeverRetriesOtherCodes) {
  std::unique_ptr<CodecClient> client = Client(FastRetries());
  int expected_attempts = 0;
  for (grpc::StatusCode code :
       {grpc::StatusCode::RESOURCE_EXHAUSTED, grpc::StatusCode::DATA_LOSS,
        grpc::StatusCode::INVALID_ARGUMENT,
        grpc::StatusCode::FAILED_PRECONDITION, grpc::StatusCode::INTERNAL,
        grpc::StatusCode::DEADLINE_EXCEEDED}) {
    fake_.FailNext(1, code);
    absl::StatusOr<v1::EncodeResponse> encoded =
        client->Encode(EncodeRequestFor("x"));
    EXPECT_EQ(static_cast<int>(encoded.status().code()),
              static_cast<int>(code));
    EXPECT_NE(encoded.status().message().find("injected failure"),
              absl::string_view::npos)
        << encoded.status();
    EXPECT_NE(encoded.status().message().find("Encode at 127.0.0.1:"),
              absl::string_view::npos)
        << encoded.status();
    EXPECT_EQ(fake_.attempts, ++expected_attempts);
  }
}

TEST_F(CodecClientTest, DeadlineEndsAStalledCallWithoutRetry) {
  fake_.Stall();
  ClientOptions options = FastRetries();
  options.timeout = absl::Milliseconds(200);
  absl::StatusOr<v1::EncodeResponse> encoded =
      Client(options)->Encode(EncodeRequestFor("x"));
  EXPECT_EQ(encoded.status().code(), absl::StatusCode::kDeadlineExceeded)
      << encoded.status();
  EXPECT_EQ(fake_.attempts, 1);
}

TEST_F(CodecClientTest, PerCallTimeoutOverridesTheDefault) {
  fake_.Stall();
  std::unique_ptr<CodecClient> client = Client(FastRetries());  // 10 s default
  absl::StatusOr<v1::GetInfoResponse> info =
      client->GetInfo({absl::Milliseconds(200)});
  EXPECT_EQ(info.status().code(), absl::StatusCode::kDeadlineExceeded)
      << info.status();
}

TEST_F(CodecClientTest, BackoffNeverRunsPastTheDeadline) {
  fake_.FailNext(100, grpc::StatusCode::UNAVAILABLE);
  ClientOptions options = FastRetries();
  options.retry.max_attempts = 10;
  options.retry.initial_backoff = absl::Seconds(5);
  options.retry.max_backoff = absl::Seconds(5);
  options.timeout = absl::Seconds(1);
  absl::StatusOr<v1::GetInfoResponse> info = Client(options)->GetInfo();
  EXPECT_EQ(info.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(fake_.attempts, 1);
}

TEST(CodecClientUnreachableTest, NoServerIsUnavailableAfterAllAttempts) {
  std::string target;
  {
    FakeCodec fake;
    LocalServer server(&fake);
    target = server.target();
  }  // The port is closed now.
  ClientOptions options = FastRetries();
  options.retry.max_attempts = 2;
  absl::StatusOr<std::unique_ptr<CodecClient>> client =
      CodecClient::Create(target, options);
  ASSERT_TRUE(client.ok());
  absl::StatusOr<v1::GetInfoResponse> info = (*client)->GetInfo();
  EXPECT_EQ(info.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(info.status().message().find("(2 attempts)"),
            absl::string_view::npos)
      << info.status();
}

TEST_F(CodecClientTest, LargeEncodeIsChunkedAndReassembled) {
  ClientOptions options = FastRetries();
  options.max_unary_bytes = 4096;
  options.stream_chunk_bytes = 1000;
  fake_.SetResponseChunkBytes(700);
  const std::string image = Pattern(10'500);
  absl::StatusOr<v1::EncodeResponse> encoded =
      Client(options)->Encode(EncodeRequestFor(image));
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  EXPECT_EQ(encoded->stream(), image);
  EXPECT_TRUE(encoded->chunk().empty());
  EXPECT_EQ(encoded->stats().stream_bytes(), image.size());
  EXPECT_DOUBLE_EQ(encoded->stats().quality(), 0.25);
  EXPECT_EQ(fake_.unary_calls, 0);
  EXPECT_EQ(fake_.chunked_calls, 1);
  EXPECT_EQ(fake_.chunked_messages_in, 11);
  EXPECT_EQ(fake_.chunked_messages_out, 15);
  // The first message carries the fields and says the chunks are a file.
  const v1::EncodeRequest first = fake_.first_encode_message();
  EXPECT_EQ(first.image().kind_case(), v1::ImageInput::kEncoded);
  EXPECT_TRUE(first.image().encoded().empty());
  EXPECT_EQ(first.model().model_id(), "vlmc-hp");
  EXPECT_DOUBLE_EQ(first.rate().quality(), 0.25);
  EXPECT_EQ(first.chunk().size(), 1000u);
}

TEST_F(CodecClientTest, LargeRawImageSendsItsShapeFirst) {
  ClientOptions options = FastRetries();
  options.max_unary_bytes = 4096;
  options.stream_chunk_bytes = 1000;
  v1::EncodeRequest request;
  request.mutable_image()->mutable_raw()->set_width(50);
  request.mutable_image()->mutable_raw()->set_height(40);
  request.mutable_image()->mutable_raw()->set_data(Pattern(50 * 40 * 3));
  request.mutable_rate()->set_max_bytes(999);
  ASSERT_TRUE(Client(options)->Encode(request).ok());
  const v1::EncodeRequest first = fake_.first_encode_message();
  ASSERT_EQ(first.image().kind_case(), v1::ImageInput::kRaw);
  EXPECT_EQ(first.image().raw().width(), 50u);
  EXPECT_EQ(first.image().raw().height(), 40u);
  EXPECT_TRUE(first.image().raw().data().empty());
  EXPECT_EQ(first.rate().max_bytes(), 999u);
  EXPECT_EQ(fake_.chunked_messages_in, 6);
}

TEST_F(CodecClientTest, PayloadOverFourMebibytesWorksWithDefaultOptions) {
  const std::string image = Pattern(5 << 20);
  absl::StatusOr<v1::EncodeResponse> encoded =
      Client(FastRetries())->Encode(EncodeRequestFor(image));
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  EXPECT_TRUE(encoded->stream() == image);
  EXPECT_EQ(fake_.chunked_calls, 1);

  // Sent unary, the server's receive limit refuses it.
  ClientOptions unary = FastRetries();
  unary.max_unary_bytes = int64_t{64} << 20;
  EXPECT_EQ(Client(unary)->Encode(EncodeRequestFor(image)).status().code(),
            absl::StatusCode::kResourceExhausted);
}

TEST_F(CodecClientTest, DecodeIsChunkedWhenTheTensorWouldBeLarge) {
  ClientOptions options = FastRetries();
  std::unique_ptr<CodecClient> client = Client(options);
  // 1000x1000: a 12 MB float tensor, far over the unary limit; as PNG of a
  // 10x10 image, tiny.
  v1::DecodeRequest large;
  large.set_stream(StreamOfSize(1000, 1000));
  large.set_format(v1::OUTPUT_FORMAT_FLOAT32_NCHW);
  absl::StatusOr<v1::DecodeResponse> decoded = client->Decode(large);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->data(), large.stream());
  EXPECT_EQ(decoded->width(), 7u);
  EXPECT_EQ(fake_.chunked_calls, 1);
  EXPECT_EQ(fake_.first_decode_message().format(),
            v1::OUTPUT_FORMAT_FLOAT32_NCHW);

  v1::DecodeRequest small;
  small.set_stream(StreamOfSize(10, 10));
  ASSERT_TRUE(client->Decode(small).ok());
  EXPECT_EQ(fake_.unary_calls, 1);
  EXPECT_EQ(fake_.chunked_calls, 1);
}

TEST_F(CodecClientTest, ChunkedCallsAreRetriedWhole) {
  ClientOptions options = FastRetries();
  options.max_unary_bytes = 4096;
  options.stream_chunk_bytes = 1000;
  fake_.FailNext(1, grpc::StatusCode::UNAVAILABLE);
  v1::DecodeRequest request;
  request.set_stream(Pattern(5000));
  absl::StatusOr<v1::DecodeResponse> decoded = Client(options)->Decode(request);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->data(), request.stream());
  EXPECT_EQ(fake_.attempts, 2);
}

TEST_F(CodecClientTest, RejectsBadArguments) {
  absl::Status empty_codec = CodecClient::Create("", {}).status();
  EXPECT_EQ(empty_codec.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(empty_codec.message(), "empty VlmCodec server address");
  absl::Status empty_lvlm = LvlmClient::Create("", {}).status();
  EXPECT_EQ(empty_lvlm.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(empty_lvlm.message(), "empty LvlmService server address");
  ClientOptions no_attempts;
  no_attempts.retry.max_attempts = 0;
  EXPECT_EQ(CodecClient::Create("127.0.0.1:1", no_attempts).status().code(),
            absl::StatusCode::kInvalidArgument);
  ClientOptions no_time;
  no_time.timeout = absl::ZeroDuration();
  EXPECT_EQ(CodecClient::Create("127.0.0.1:1", no_time).status().code(),
            absl::StatusCode::kInvalidArgument);
  v1::EncodeRequest with_chunk = EncodeRequestFor("x");
  with_chunk.set_chunk("y");
  EXPECT_EQ(Client(FastRetries())->Encode(with_chunk).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(fake_.attempts, 0);
}

class LvlmForwarderTest : public testing::Test {
 protected:
  std::unique_ptr<LvlmForwarder> Forwarder() {
    absl::StatusOr<std::unique_ptr<LvlmForwarder>> forwarder =
        LvlmForwarder::Create(codec_server_.target(), lvlm_server_.target(),
                              FastRetries());
    EXPECT_TRUE(forwarder.ok()) << forwarder.status();
    return forwarder.ok() ? std::move(*forwarder) : nullptr;
  }

  FakeCodec codec_;
  FakeLvlm lvlm_;
  LocalServer codec_server_{&codec_};
  LocalServer lvlm_server_{&lvlm_};
};

TEST_F(LvlmForwarderTest, DecodesAsTensorAndForwardsIt) {
  // The fake decoder echoes the stream as the "tensor" data.
  const std::string stream = StreamOfSize(640, 480);
  absl::StatusOr<ForwardResult> result = Forwarder()->DecodeAndInfer(
      stream, "detect", "what is there?", {{"min_score", "0.5"}});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->answer.text(), "ok");
  EXPECT_EQ(result->answer.model(), "fake-lvlm");
  EXPECT_EQ(result->width, 7u);
  EXPECT_GE(result->decode_ms, 0);
  EXPECT_GE(result->infer_ms, 0);
  EXPECT_GE(result->total_ms, result->decode_ms);
  // 640x480 floats are 3.7 MB: over the unary limit, so DecodeStream.
  EXPECT_EQ(codec_.chunked_calls, 1);
  EXPECT_EQ(codec_.first_decode_message().format(),
            v1::OUTPUT_FORMAT_FLOAT32_NCHW);

  const v1::InferRequest sent = lvlm_.last_request();
  ASSERT_EQ(sent.input_case(), v1::InferRequest::kTensor);
  EXPECT_EQ(sent.tensor().data(), stream);
  EXPECT_EQ(sent.task(), "detect");
  EXPECT_EQ(sent.prompt(), "what is there?");
  EXPECT_EQ(sent.options().at("min_score"), "0.5");
}

TEST_F(LvlmForwarderTest, ErrorsOfEitherServiceKeepTheirCode) {
  codec_.FailNext(1, grpc::StatusCode::DATA_LOSS);
  absl::StatusOr<ForwardResult> result =
      Forwarder()->DecodeAndInfer("bad", "detect", "", {});
  EXPECT_EQ(result.status().code(), absl::StatusCode::kDataLoss);

  lvlm_.Fail(grpc::StatusCode::UNIMPLEMENTED);
  result = Forwarder()->DecodeAndInfer("ok", "caption", "", {});
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_NE(result.status().message().find("lvlm says no"),
            absl::string_view::npos)
      << result.status();
}

}  // namespace
}  // namespace vlmc
