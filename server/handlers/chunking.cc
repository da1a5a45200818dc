#include "server/handlers/chunking.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace vlmc::service {
namespace {

absl::Status Append(const std::string& chunk, size_t max_payload_bytes,
                    std::string* payload) {
  if (payload->size() + chunk.size() > max_payload_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("the streamed payload exceeds the server's limit of ",
                     max_payload_bytes, " bytes"));
  }
  payload->append(chunk);
  return absl::OkStatus();
}

// One message per slice of `payload`; `first` carries the other fields.
template <typename Response>
std::vector<Response> Split(Response first, std::string payload,
                            size_t chunk_bytes) {
  std::vector<Response> messages;
  size_t offset = 0;
  do {
    Response message = messages.empty() ? std::move(first) : Response();
    message.set_chunk(payload.substr(offset, chunk_bytes));
    messages.push_back(std::move(message));
    offset += chunk_bytes;
  } while (offset < payload.size());
  return messages;
}

}  // namespace

absl::Status AppendChunk(v1::EncodeRequest message, bool first,
                         size_t max_payload_bytes, v1::EncodeRequest* joined) {
  std::string chunk = std::move(*message.mutable_chunk());
  if (first) {
    *joined = std::move(message);
    joined->clear_chunk();
  }
  // Leaves a first message without image (and no chunk) as it is, so it is
  // reported as missing, not as empty.
  if (chunk.empty() &&
      joined->image().kind_case() == v1::ImageInput::KIND_NOT_SET) {
    return absl::OkStatus();
  }
  v1::ImageInput& image = *joined->mutable_image();
  std::string* payload = image.has_raw() ? image.mutable_raw()->mutable_data()
                                         : image.mutable_encoded();
  return Append(chunk, max_payload_bytes, payload);
}

absl::Status AppendChunk(v1::DecodeRequest message, bool first,
                         size_t max_payload_bytes, v1::DecodeRequest* joined) {
  std::string chunk = std::move(*message.mutable_chunk());
  if (first) {
    *joined = std::move(message);
    joined->clear_chunk();
  }
  return Append(chunk, max_payload_bytes, joined->mutable_stream());
}

std::vector<v1::EncodeResponse> SplitResponse(v1::EncodeResponse response,
                                              size_t chunk_bytes) {
  std::string payload = std::move(*response.mutable_stream());
  response.clear_stream();
  return Split(std::move(response), std::move(payload), chunk_bytes);
}

std::vector<v1::DecodeResponse> SplitResponse(v1::DecodeResponse response,
                                              size_t chunk_bytes) {
  std::string payload = std::move(*response.mutable_data());
  response.clear_data();
  return Split(std::move(response), std::move(payload), chunk_bytes);
}

}  // namespace vlmc::service
