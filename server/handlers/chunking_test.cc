#include "server/handlers/chunking.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace vlmc::service {
namespace {

TEST(ChunkingTest, EncodeRequestJoinsChunksIntoTheEncodedImage) {
  v1::EncodeRequest first;
  first.mutable_rate()->set_quality(0.25);
  first.mutable_model()->set_version(1);
  first.set_chunk("abc");
  v1::EncodeRequest second;
  second.set_chunk("def");
  second.mutable_rate()->set_quality(0.9);  // ignored after the first
  v1::EncodeRequest joined;
  ASSERT_TRUE(AppendChunk(first, true, 100, &joined).ok());
  ASSERT_TRUE(AppendChunk(second, false, 100, &joined).ok());
  EXPECT_EQ(joined.image().encoded(), "abcdef");
  EXPECT_EQ(joined.rate().quality(), 0.25);
  EXPECT_EQ(joined.model().version(), 1u);
  EXPECT_TRUE(joined.chunk().empty());
}

TEST(ChunkingTest, RawShapeInTheFirstMessageMakesChunksPixelData) {
  v1::EncodeRequest first;
  first.mutable_image()->mutable_raw()->set_width(2);
  first.mutable_image()->mutable_raw()->set_height(1);
  v1::EncodeRequest second;
  second.set_chunk("rgbrgb");
  v1::EncodeRequest joined;
  ASSERT_TRUE(AppendChunk(first, true, 100, &joined).ok());
  ASSERT_TRUE(AppendChunk(second, false, 100, &joined).ok());
  EXPECT_EQ(joined.image().raw().data(), "rgbrgb");
  EXPECT_EQ(joined.image().raw().width(), 2u);
}

TEST(ChunkingTest, NoImageAndNoChunkStaysMissing) {
  v1::EncodeRequest first;
  first.mutable_rate()->set_quality(0.5);
  v1::EncodeRequest joined;
  ASSERT_TRUE(AppendChunk(first, true, 100, &joined).ok());
  EXPECT_EQ(joined.image().kind_case(), v1::ImageInput::KIND_NOT_SET);
}

TEST(ChunkingTest, PayloadBeyondTheLimitIsRefused) {
  v1::DecodeRequest first;
  first.set_stream("12345");
  first.set_chunk("678");
  v1::DecodeRequest joined;
  ASSERT_TRUE(AppendChunk(first, true, 10, &joined).ok());
  EXPECT_EQ(joined.stream(), "12345678");
  v1::DecodeRequest more;
  more.set_chunk("9ab");
  EXPECT_EQ(AppendChunk(more, false, 10, &joined).code(),
            absl::StatusCode::kInvalidArgument);

  v1::EncodeRequest big;
  big.mutable_image()->set_encoded(std::string(11, 'x'));
  v1::EncodeRequest joined_encode;
  EXPECT_EQ(AppendChunk(big, true, 10, &joined_encode).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ChunkingTest, ResponsesSplitWithFieldsInTheFirstMessage) {
  v1::DecodeResponse response;
  response.set_width(7);
  response.set_model_id("vlmc-hp");
  response.set_data("0123456789");
  std::vector<v1::DecodeResponse> parts = SplitResponse(response, 4);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].width(), 7u);
  EXPECT_EQ(parts[0].model_id(), "vlmc-hp");
  EXPECT_TRUE(parts[0].data().empty());
  EXPECT_EQ(parts[0].chunk(), "0123");
  EXPECT_EQ(parts[1].width(), 0u);
  EXPECT_EQ(parts[1].chunk(), "4567");
  EXPECT_EQ(parts[2].chunk(), "89");

  v1::EncodeResponse encoded;
  encoded.mutable_stats()->set_stream_bytes(3);
  encoded.set_stream("abc");
  std::vector<v1::EncodeResponse> one = SplitResponse(encoded, 4);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].chunk(), "abc");
  EXPECT_TRUE(one[0].stream().empty());
  EXPECT_EQ(one[0].stats().stream_bytes(), 3u);
}

}  // namespace
}  // namespace vlmc::service
