// libFuzzer target: a vlmc stream as the decoder sees it from the network.
// ParseStream with the default limits, then both entropy segments rANS-decoded
// symbol by symbol. The shipped model's z tables live in a LibTorch-only file
// format, so every symbol here uses one of the fixed Gaussian tables instead:
// the decoder code paths (renormalisation, escapes, Finish) are the same.
// A stream that parses but breaks the format's invariants is a parser bug, so
// it aborts: that is what the fuzzer reports as a finding.
// Almost every mutation breaks the CRC-32, which ParseStream checks before the
// header fields and the segments are used; so an input whose last 4 bytes are
// not the CRC of the rest also runs a second time with them recomputed.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "models/bitstream/stream_format.h"
#include "models/bitstream/y_substreams.h"
#include "models/entropy/gaussian_table.h"
#include "models/entropy/rans_coder.h"
#include "models/util/crc32.h"

namespace {

// Channel counts of the shipped model (vlmc-hp/2: N = 64, M = 96), which fix
// the symbol counts the real decoder asks for.
constexpr uint64_t kZChannels = 64;
constexpr uint64_t kYChannels = 96;
// Keeps one input's work bounded: a 16384² header would ask for 100M symbols.
// Past the first few thousand symbols decoding only repeats the same paths,
// and with the CRC recomputed most inputs get here: more would slow the
// fuzzer down to a few dozen inputs a second.
constexpr uint64_t kMaxSymbolsPerSegment = 1 << 12;

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

void ParseAndDecode(absl::string_view stream) {
  const size_t size = stream.size();
  absl::StatusOr<vlmc::bitstream::ParsedStream> parsed =
      vlmc::bitstream::ParseStream(stream);
  if (!parsed.ok()) return;
  const vlmc::bitstream::Limits default_limits;
  if (!vlmc::bitstream::ValidateHeader(parsed->header, default_limits).ok() ||
      size != vlmc::bitstream::kFixedOverheadBytes +
                  parsed->header.model_id.size() + parsed->z_segment.size() +
                  parsed->y_segment.size()) {
    std::abort();
  }
  // Format 3 codes a smaller image: its symbol counts follow the coded size.
  const uint8_t k = parsed->header.downscale_log2;
  const uint64_t width = vlmc::bitstream::CodedExtent(parsed->header.width, k);
  const uint64_t height =
      vlmc::bitstream::CodedExtent(parsed->header.height, k);
  const int table_seed = parsed->header.quality_code;
  DecodeSegment(parsed->z_segment,
                kZChannels * CeilDiv(width, 64) * CeilDiv(height, 64),
                table_seed);
  // Format 4's substreams: views inside the y segment, in order, each
  // decoded with its channel group's share of the symbols.
  const std::vector<absl::string_view>& substreams = parsed->y_substreams;
  const char* previous_end = parsed->y_segment.data();
  for (absl::string_view substream : substreams) {
    if (substream.data() < previous_end ||
        substream.data() + substream.size() >
            parsed->y_segment.data() + parsed->y_segment.size()) {
      std::abort();
    }
    previous_end = substream.data() + substream.size();
  }
  const uint64_t per_channel = CeilDiv(width, 16) * CeilDiv(height, 16);
  const uint64_t count = substreams.size();
  for (uint64_t k = 0; k < count && count <= kYChannels; ++k) {
    const uint64_t channels =
        vlmc::bitstream::SubstreamFirstChannel(k + 1, count, kYChannels) -
        vlmc::bitstream::SubstreamFirstChannel(k, count, kYChannels);
    DecodeSegment(substreams[k], channels * per_channel, table_seed);
  }
}

uint32_t ReadU32Le(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 |
         uint32_t{p[3]} << 24;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  ParseAndDecode(input);
  constexpr size_t kCrcBytes = 4;
  if (size < kCrcBytes) return 0;
  const uint32_t crc = vlmc::util::Crc32(input.substr(0, size - kCrcBytes));
  if (ReadU32Le(data + size - kCrcBytes) == crc) return 0;
  // An exact-size heap copy, so that ASan sees any read past its end.
  std::unique_ptr<char[]> fixed(new char[size]);
  std::memcpy(fixed.get(), data, size - kCrcBytes);
  for (size_t i = 0; i < kCrcBytes; ++i) {
    fixed[size - kCrcBytes + i] = static_cast<char>(crc >> (8 * i));
  }
  ParseAndDecode(absl::string_view(fixed.get(), size));
  return 0;
}
