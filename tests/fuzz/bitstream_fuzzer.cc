// libFuzzer target: a vlmc stream as the decoder sees it from the network.
// ParseStream with the default limits, then both entropy segments rANS-decoded
// symbol by symbol. The shipped model's z tables live in a LibTorch-only file
// format, so every symbol here uses one of the fixed Gaussian tables instead:
// the decoder code paths (renormalisation, escapes, Finish) are the same.
// A stream that parses but breaks the format's invariants is a parser bug, so
// it aborts: that is what the fuzzer reports as a finding.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "models/bitstream/stream_format.h"
#include "models/entropy/gaussian_table.h"
#include "models/entropy/rans_coder.h"

namespace {

// Channel counts of the shipped model (vlmc-hp/2: N = 64, M = 96), which fix
// the symbol counts the real decoder asks for.
constexpr uint64_t kZChannels = 64;
constexpr uint64_t kYChannels = 96;
// Keeps one input's work bounded: a 16384² header would ask for 100M symbols.
constexpr uint64_t kMaxSymbolsPerSegment = 1 << 16;

uint64_t CeilDiv(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

// Decodes up to `symbols` values from `segment`; table choice cycles through
// the scale table so that narrow, wide and escape-heavy tables all occur.
void DecodeSegment(absl::string_view segment, uint64_t symbols,
                   int table_seed) {
  absl::StatusOr<vlmc::entropy::RansDecoder> decoder =
      vlmc::entropy::RansDecoder::Create(segment);
  if (!decoder.ok()) return;
  const vlmc::entropy::GaussianScaleTable& tables =
      vlmc::entropy::GaussianScaleTable::Default();
  symbols = std::min(symbols, kMaxSymbolsPerSegment);
  for (uint64_t i = 0; i < symbols; ++i) {
    const int index = static_cast<int>((i + table_seed) % tables.size());
    if (!decoder->Decode(tables.cdf(index)).ok()) break;
  }
  decoder->Finish().IgnoreError();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::StatusOr<vlmc::bitstream::ParsedStream> parsed =
      vlmc::bitstream::ParseStream(
          absl::string_view(reinterpret_cast<const char*>(data), size));
  if (!parsed.ok()) return 0;
  const vlmc::bitstream::Limits default_limits;
  if (!vlmc::bitstream::ValidateHeader(parsed->header, default_limits).ok() ||
      size != vlmc::bitstream::kFixedOverheadBytes +
                  parsed->header.model_id.size() + parsed->z_segment.size() +
                  parsed->y_segment.size()) {
    std::abort();
  }
  const uint64_t width = parsed->header.width;
  const uint64_t height = parsed->header.height;
  const int table_seed = parsed->header.quality_code;
  DecodeSegment(parsed->z_segment,
                kZChannels * CeilDiv(width, 64) * CeilDiv(height, 64),
                table_seed);
  DecodeSegment(parsed->y_segment,
                kYChannels * CeilDiv(width, 16) * CeilDiv(height, 16),
                table_seed);
  return 0;
}
