#ifndef VLMC_BENCH_SOAK_SOAK_TALLY_H_
#define VLMC_BENCH_SOAK_SOAK_TALLY_H_

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "grpcpp/support/status.h"

namespace vlmc::bench {

// The kinds of call a soak run mixes; each has its own set of acceptable
// status codes (AllowedCodes).
enum class SoakKind {
  kEncode,            // valid image: OK, stream equal to the library's
  kDecode,            // valid stream: OK, pixels equal to the library's
  kCorruptDecode,     // truncated or bit-flipped stream: a clean refusal
  kCancelled,         // valid call cancelled by the client mid-flight
  kExpiredDeadline,   // deadline already past when the call starts
  kTinyDeadline,      // deadline of a few milliseconds
  kOversizedMessage,  // request over the server's message limit
  kOversizedImage,    // image or stream over the pixel/dimension limits
};
inline constexpr int kNumSoakKinds = 8;

const char* SoakKindName(SoakKind kind);

// Codes a server that works returns for `kind`. RESOURCE_EXHAUSTED (queue
// full) is acceptable for every kind: refusing work under load is correct.
// OK is acceptable for cancelled and tiny-deadline calls that finished
// first; their answers are verified like any other.
const std::vector<grpc::StatusCode>& AllowedCodes(SoakKind kind);
bool IsAllowed(SoakKind kind, grpc::StatusCode code);

// Thread-safe counts of what the server answered, by kind and code, plus
// the failures a soak run reports: codes outside AllowedCodes and answers
// that differ from the library's.
class SoakTally {
 public:
  // Counts one answer; returns false (and keeps the message, naming the
  // request by `what`) when `status` is not allowed for `kind`.
  bool Record(SoakKind kind, const grpc::Status& status,
              const std::string& what = "");
  // An OK answer that was checked against the library: `mismatch` empty
  // when equal, else what differed.
  void RecordVerified(SoakKind kind, const std::string& mismatch);

  struct Snapshot {
    // [kind][code name] -> count
    std::map<std::string, std::map<std::string, long>> by_kind;
    std::map<std::string, long> by_code;
    long calls = 0;
    long unexpected = 0;
    long verified = 0;
    long mismatches = 0;
    std::map<std::string, long> verified_by_kind;
    std::vector<std::string> first_failures;  // at most kMaxKeptFailures
  };
  Snapshot Get() const;

  static constexpr int kMaxKeptFailures = 20;

 private:
  void KeepFailure(std::string what);

  mutable std::mutex mu_;
  Snapshot counts_;
};

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_SOAK_SOAK_TALLY_H_
