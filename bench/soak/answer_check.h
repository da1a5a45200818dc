#ifndef VLMC_BENCH_SOAK_ANSWER_CHECK_H_
#define VLMC_BENCH_SOAK_ANSWER_CHECK_H_

#include <string>

#include "models/image/image.h"
#include "vlmc/v1/codec.pb.h"

namespace vlmc::bench {

// Checks of a server's OK answers against what the codec library computed
// in process. Each returns "" when the answer is right, else what differs.

// The stream must be byte-identical to the library's for the same image and
// quality (the server is deterministic), and the stats must name its size.
std::string CheckEncodeAnswer(const v1::EncodeResponse& response,
                              const std::string& library_stream, int width,
                              int height);

// The decoded image, in the requested format (RAW_RGB8, PNG or
// FLOAT32_NCHW), must hold exactly the library's pixels.
std::string CheckDecodeAnswer(const v1::DecodeResponse& response,
                              v1::OutputFormat requested,
                              const image::Image& library_pixels);

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_SOAK_ANSWER_CHECK_H_
