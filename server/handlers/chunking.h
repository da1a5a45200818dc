#ifndef VLMC_SERVER_HANDLERS_CHUNKING_H_
#define VLMC_SERVER_HANDLERS_CHUNKING_H_

// The chunked form of EncodeStream / DecodeStream (codec.proto): the first
// request message carries the fields, every message's `chunk` carries the
// next slice of the payload; responses come back the same way.

#include <cstddef>
#include <vector>

#include "absl/status/status.h"
#include "vlmc/v1/codec.pb.h"

namespace vlmc::service {

// Response slices stay well under the 4 MiB default message limit.
inline constexpr size_t kResponseChunkBytes = size_t{1} << 20;

// Folds one received message into `joined`: the first message is taken
// whole; later ones only add their chunk. A chunk extends image.raw.data when
// the first message gave image.raw, else image.encoded (resp. the stream).
// INVALID_ARGUMENT once the payload would exceed `max_payload_bytes`.
absl::Status AppendChunk(v1::EncodeRequest message, bool first,
                         size_t max_payload_bytes, v1::EncodeRequest* joined);
absl::Status AppendChunk(v1::DecodeRequest message, bool first,
                         size_t max_payload_bytes, v1::DecodeRequest* joined);

// Splits a response: the first message carries every field except the
// payload, and each message one slice (at most `chunk_bytes`) in `chunk`.
std::vector<v1::EncodeResponse> SplitResponse(v1::EncodeResponse response,
                                              size_t chunk_bytes);
std::vector<v1::DecodeResponse> SplitResponse(v1::DecodeResponse response,
                                              size_t chunk_bytes);

}  // namespace vlmc::service

#endif  // VLMC_SERVER_HANDLERS_CHUNKING_H_
