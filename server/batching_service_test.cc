// Dynamic batching through a real channel on 127.0.0.1:0: concurrent Decode
// calls of one model and latent shape share a synthesis pass, and each still
// gets exactly the library's own single-stream answer (or its own error).
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "models/bitstream/stream_format.h"
#include "models/codec/codec.h"
#include "models/image/png_codec.h"
#include "server/service_test_util.h"
#include "server/vlmc_server.h"
#include "vlmc/v1/codec.grpc.pb.h"

namespace vlmc::service {
namespace {

using testing::WorkerBlocker;

// `stream` with one bit of its y segment flipped and the CRC recomputed: it
// passes the container checks (so it is admitted and batched) and fails in
// the entropy decoder.
std::string CorruptYData(const std::string& stream) {
  absl::StatusOr<bitstream::ParsedStream> parsed =
      bitstream::ParseStream(stream);
  if (!parsed.ok()) return "";
  std::string y(parsed->y_segment);
  y[y.size() / 2] ^= 0x04;
  absl::StatusOr<std::string> rewritten =
      bitstream::WriteStream(parsed->header, parsed->z_segment, y);
  return rewritten.ok() ? *rewritten : "";
}

// The vlmc_batch_size histogram: {batches, calls in them}.
std::pair<uint64_t, double> BatchSizeTotals(
    const prometheus::Registry& registry) {
  for (const prometheus::MetricFamily& family : registry.Collect()) {
    if (family.name != "vlmc_batch_size" || family.metric.empty()) continue;
    const prometheus::ClientMetric::Histogram& histogram =
        family.metric.front().histogram;
    return {histogram.sample_count, histogram.sample_sum};
  }
  return {0, 0};
}

struct DecodeCase {
  std::string stream;
  v1::OutputFormat format;
};

TEST(BatchingServiceTest, ConcurrentDecodesShareABatchAndKeepTheirAnswers) {
  ServerOptions options = testing::SmallServerOptions();
  options.queue_capacity = 8;
  options.max_batch = 8;
  options.batch_window_us = 2000;
  // A batch equals single decodes exactly only in float64 (FORMAT.md).
  options.synthesis = codec::SynthesisPrecision::kFloat64;
  absl::StatusOr<std::unique_ptr<VlmcServer>> server =
      VlmcServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  const codec::Codec& codec =
      *(*(*server)->models().Resolve("vlmc-hp", 0))->codec;

  const image::Image image = testing::TestImage(64);
  std::vector<DecodeCase> cases;
  for (double quality : {0.1, 0.5, 0.9, 0.5}) {
    absl::StatusOr<std::string> stream = codec.Compress(image, quality);
    ASSERT_TRUE(stream.ok()) << stream.status();
    cases.push_back({*stream, cases.size() % 2 == 0 ? v1::OUTPUT_FORMAT_RAW_RGB8
                                                    : v1::OUTPUT_FORMAT_PNG});
  }
  const std::string corrupt = CorruptYData(cases[1].stream);
  ASSERT_FALSE(corrupt.empty());
  cases.push_back({corrupt, v1::OUTPUT_FORMAT_RAW_RGB8});
  // 48 x 48 pads to the same latent shape (a batch may mix image sizes);
  // 100 x 100 does not and gets a batch of its own.
  for (int size : {48, 100}) {
    absl::StatusOr<std::string> stream =
        codec.Compress(testing::TestImage(size), 0.5);
    ASSERT_TRUE(stream.ok()) << stream.status();
    cases.push_back({*stream, v1::OUTPUT_FORMAT_RAW_RGB8});
  }
  ASSERT_EQ(*codec::Codec::BatchKey(cases[0].stream),
            *codec::Codec::BatchKey(cases[5].stream));
  ASSERT_NE(*codec::Codec::BatchKey(cases[0].stream),
            *codec::Codec::BatchKey(cases[6].stream));

  auto channel = grpc::CreateChannel((*server)->listen_address(),
                                     grpc::InsecureChannelCredentials());
  std::unique_ptr<v1::VlmCodec::Stub> stub = v1::VlmCodec::NewStub(channel);
  std::vector<grpc::Status> statuses(cases.size());
  std::vector<v1::DecodeResponse> responses(cases.size());
  {
    WorkerBlocker blocker((*server)->work_queue());
    std::vector<std::thread> callers;
    for (size_t i = 0; i < cases.size(); ++i) {
      callers.emplace_back([&, i] {
        v1::DecodeRequest request;
        request.set_stream(cases[i].stream);
        request.set_format(cases[i].format);
        grpc::ClientContext context;
        statuses[i] = stub->Decode(&context, request, &responses[i]);
      });
    }
    // Every call waits behind the blocker before the worker takes any.
    while ((*server)->work_queue().queue_depth() < cases.size()) {
      std::this_thread::yield();
    }
    blocker.Release();
    for (std::thread& caller : callers) caller.join();
  }

  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(i);
    absl::StatusOr<image::Image> expected = codec.Decompress(cases[i].stream);
    if (cases[i].stream == corrupt) {
      ASSERT_FALSE(expected.ok());
      EXPECT_EQ(statuses[i].error_code(), grpc::StatusCode::DATA_LOSS)
          << statuses[i].error_message();
      continue;
    }
    ASSERT_TRUE(expected.ok()) << expected.status();
    ASSERT_TRUE(statuses[i].ok()) << statuses[i].error_message();
    EXPECT_EQ(responses[i].width(), expected->width);
    EXPECT_EQ(responses[i].height(), expected->height);
    if (cases[i].format == v1::OUTPUT_FORMAT_RAW_RGB8) {
      EXPECT_TRUE(responses[i].data() ==
                  std::string(expected->rgb.begin(), expected->rgb.end()));
    } else {
      absl::StatusOr<std::string> png = image::EncodePng(*expected);
      ASSERT_TRUE(png.ok());
      EXPECT_TRUE(responses[i].data() == *png);
    }
  }
  // Six calls of one latent shape (the corrupt one included: it fails inside
  // the batch) and one of another: two batches, seven calls.
  const auto [batches, calls] =
      BatchSizeTotals(*(*server)->metrics().registry());
  EXPECT_EQ(batches, 2u);
  EXPECT_EQ(calls, 7.0);
}

}  // namespace
}  // namespace vlmc::service
