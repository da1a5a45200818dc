#ifndef VLMC_CLIENT_ENCODE_TARGET_H_
#define VLMC_CLIENT_ENCODE_TARGET_H_

#include <cstdio>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "models/util/cli_flags.h"

namespace vlmc::cli {

// What `vlmc encode` aims for: a quality, a rate budget or a task fidelity.
struct EncodeTarget {
  enum class Kind { kQuality, kTargetBpp, kMaxBytes, kTask };
  Kind kind = Kind::kQuality;
  // kQuality: q in [0, 1]; kTargetBpp: bits per pixel > 0; kMaxBytes: whole
  // stream bytes >= 1; kTask: the fidelity in (0, 1].
  double value = 0.5;
  bool detection = true;  // kTask: detection agreement (else token cosine)
  int max_passes = 8;     // kTask: encode+decode+measure passes
};

// -q, --bpp, --max-bytes, --task, --fidelity, --max-passes.
std::vector<Flags::Spec> EncodeTargetFlags();

// The one target the flags ask for (-q 0.5 when none). INVALID_ARGUMENT for
// two targets at once, values out of range, or --fidelity / --max-passes
// without --task.
absl::StatusOr<EncodeTarget> ParseEncodeTarget(const Flags& flags);

// "bpp <= 0.1", "bytes <= 5000", "detection agreement >= 0.9", ... for the
// report; empty for a quality target.
std::string DescribeTarget(const EncodeTarget& target);

// What one encode reached, here or on a server.
struct EncodeOutcome {
  std::string stream;
  int width = 0;
  int height = 0;
  double quality = 0.0;  // the rate parameter chosen
  int downscale = 1;     // coded at 1/downscale of the size
  bool target_met = true;
  int passes = 1;          // codec runs spent
  double fidelity = -1.0;  // task targets: measured on the returned stream
  double bpp() const {
    return stream.size() * 8.0 / (static_cast<double>(width) * height);
  }
};

// FAILED_PRECONDITION, one line saying what was reached instead, when the
// outcome misses its target; OK otherwise.
absl::Status CheckTargetMet(const EncodeTarget& target,
                            const EncodeOutcome& outcome);

// "OUT: WxH, quality Q -> N bytes, B bpp, TIMING" and, for a rate or task
// target, "target T: target_met yes, passes P, quality Q[, fidelity F]".
void PrintEncodeReport(std::FILE* to, const std::string& output_path,
                       const EncodeTarget& target, const EncodeOutcome& outcome,
                       const std::string& timing);

}  // namespace vlmc::cli

#endif  // VLMC_CLIENT_ENCODE_TARGET_H_
