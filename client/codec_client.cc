#include "client/codec_client.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "client/rpc_call.h"
#include "models/bitstream/stream_format.h"

namespace vlmc {
namespace {

// Sends `head` with the first slice of `payload` in its chunk field, then the
// other slices in chunk-only messages, and reads the response the same way:
// `response` gets the first message's fields, `payload_out` every chunk in
// order (codec.proto, EncodeStream / DecodeStream).
template <typename Request, typename Response>
grpc::Status ExchangeChunks(grpc::ClientReaderWriter<Request, Response>& call,
                            Request head, absl::string_view payload,
                            size_t chunk_bytes, Response* response,
                            std::string* payload_out) {
  Request message = std::move(head);
  size_t offset = 0;
  do {
    const size_t n = std::min(chunk_bytes, payload.size() - offset);
    message.set_chunk(std::string(payload.substr(offset, n)));
    offset += n;
    // A failed write means the server ended the call; Finish says why.
    if (!call.Write(message)) break;
    message.Clear();
  } while (offset < payload.size());
  call.WritesDone();

  payload_out->clear();
  bool got_first = false;
  Response message_in;
  while (call.Read(&message_in)) {
    payload_out->append(message_in.chunk());
    if (!got_first) {
      *response = std::move(message_in);
      got_first = true;
    }
  }
  grpc::Status status = call.Finish();
  if (status.ok() && !got_first) {
    return grpc::Status(grpc::StatusCode::INTERNAL,
                        "the server ended the chunked call without a response");
  }
  response->clear_chunk();
  return status;
}

// An upper bound of the decoded payload's size, from the stream's header;
// 0 for a stream that does not parse (the server will say why).
int64_t ExpectedDecodedBytes(const v1::DecodeRequest& request) {
  absl::StatusOr<bitstream::ParsedStream> parsed =
      bitstream::ParseStream(request.stream());
  if (!parsed.ok()) return 0;
  const int64_t height = parsed->header.height;
  const int64_t rgb_bytes = 3 * height * parsed->header.width;
  switch (request.format()) {
    case v1::OUTPUT_FORMAT_FLOAT32_NCHW:
      return 4 * rgb_bytes;
    case v1::OUTPUT_FORMAT_RAW_RGB8:
      return rgb_bytes;
    default:
      // PNG of incompressible pixels: stored deflate blocks, a filter byte
      // per row, IDAT chunk headers.
      return rgb_bytes + rgb_bytes / 256 + height + 1024;
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<CodecClient>> CodecClient::Create(
    const std::string& target, const ClientOptions& options) {
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
      OpenClientChannel(target, "VlmCodec", options);
  if (!channel.ok()) return channel.status();
  return std::unique_ptr<CodecClient>(
      new CodecClient(target, options, *std::move(channel)));
}

CodecClient::CodecClient(std::string target, const ClientOptions& options,
                         std::shared_ptr<grpc::Channel> channel)
    : target_(std::move(target)),
      options_(options),
      stub_(v1::VlmCodec::NewStub(std::move(channel))) {}

std::string CodecClient::What(absl::string_view rpc) const {
  return absl::StrCat(rpc, " at ", target_);
}

absl::StatusOr<v1::EncodeResponse> CodecClient::Encode(
    const v1::EncodeRequest& request, const CallOptions& call) {
  if (!request.chunk().empty()) {
    return absl::InvalidArgumentError(
        "EncodeRequest.chunk is the client's own: leave it empty");
  }
  const absl::Time deadline = CallDeadline(options_, call);
  if (static_cast<int64_t>(request.ByteSizeLong()) > options_.max_unary_bytes)
    return EncodeChunked(request, deadline);
  v1::EncodeResponse response;
  absl::Status status = CallWithRetry(
      What("Encode"), options_, deadline, [&](grpc::ClientContext& context) {
        return stub_->Encode(&context, request, &response);
      });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::EncodeResponse> CodecClient::EncodeChunked(
    const v1::EncodeRequest& request, absl::Time deadline) {
  v1::EncodeRequest head;
  *head.mutable_model() = request.model();
  *head.mutable_rate() = request.rate();
  absl::string_view payload;
  if (request.image().has_raw()) {
    head.mutable_image()->mutable_raw()->set_width(
        request.image().raw().width());
    head.mutable_image()->mutable_raw()->set_height(
        request.image().raw().height());
    payload = request.image().raw().data();
  } else {
    // Sets the oneof to `encoded`, so the server knows what the chunks are.
    head.mutable_image()->set_encoded("");
    payload = request.image().encoded();
  }
  v1::EncodeResponse response;
  std::string stream;
  absl::Status status = CallWithRetry(
      What("EncodeStream"), options_, deadline,
      [&](grpc::ClientContext& context) {
        auto call = stub_->EncodeStream(&context);
        return ExchangeChunks(*call, head, payload, options_.stream_chunk_bytes,
                              &response, &stream);
      });
  if (!status.ok()) return status;
  response.set_stream(std::move(stream));
  return response;
}

absl::StatusOr<v1::DecodeResponse> CodecClient::Decode(
    const v1::DecodeRequest& request, const CallOptions& call) {
  if (!request.chunk().empty()) {
    return absl::InvalidArgumentError(
        "DecodeRequest.chunk is the client's own: leave it empty");
  }
  const absl::Time deadline = CallDeadline(options_, call);
  if (static_cast<int64_t>(request.ByteSizeLong()) > options_.max_unary_bytes ||
      ExpectedDecodedBytes(request) > options_.max_unary_bytes) {
    return DecodeChunked(request, deadline);
  }
  v1::DecodeResponse response;
  absl::Status status = CallWithRetry(
      What("Decode"), options_, deadline, [&](grpc::ClientContext& context) {
        return stub_->Decode(&context, request, &response);
      });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::DecodeResponse> CodecClient::DecodeChunked(
    const v1::DecodeRequest& request, absl::Time deadline) {
  v1::DecodeRequest head;
  head.set_format(request.format());
  v1::DecodeResponse response;
  std::string data;
  absl::Status status = CallWithRetry(
      What("DecodeStream"), options_, deadline,
      [&](grpc::ClientContext& context) {
        auto call = stub_->DecodeStream(&context);
        return ExchangeChunks(*call, head, request.stream(),
                              options_.stream_chunk_bytes, &response, &data);
      });
  if (!status.ok()) return status;
  response.set_data(std::move(data));
  return response;
}

absl::StatusOr<v1::EncodeForTaskResponse> CodecClient::EncodeForTask(
    const v1::EncodeForTaskRequest& request, const CallOptions& call) {
  v1::EncodeForTaskResponse response;
  absl::Status status = CallWithRetry(
      What("EncodeForTask"), options_, CallDeadline(options_, call),
      [&](grpc::ClientContext& context) {
        return stub_->EncodeForTask(&context, request, &response);
      });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::GetInfoResponse> CodecClient::GetInfo(
    const CallOptions& call) {
  v1::GetInfoResponse response;
  absl::Status status = CallWithRetry(
      What("GetInfo"), options_, CallDeadline(options_, call),
      [&](grpc::ClientContext& context) {
        return stub_->GetInfo(&context, v1::GetInfoRequest(), &response);
      });
  if (!status.ok()) return status;
  return response;
}

}  // namespace vlmc
