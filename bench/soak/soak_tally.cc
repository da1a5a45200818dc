#include "bench/soak/soak_tally.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "proto/rpc/grpc_status.h"

namespace vlmc::bench {

const char* SoakKindName(SoakKind kind) {
  switch (kind) {
    case SoakKind::kEncode:
      return "encode";
    case SoakKind::kDecode:
      return "decode";
    case SoakKind::kCorruptDecode:
      return "corrupt_decode";
    case SoakKind::kCancelled:
      return "cancelled";
    case SoakKind::kExpiredDeadline:
      return "expired_deadline";
    case SoakKind::kTinyDeadline:
      return "tiny_deadline";
    case SoakKind::kOversizedMessage:
      return "oversized_message";
    case SoakKind::kOversizedImage:
      return "oversized_image";
  }
  return "unknown";
}

const std::vector<grpc::StatusCode>& AllowedCodes(SoakKind kind) {
  using grpc::StatusCode;
  static const auto* const kValid = new std::vector<StatusCode>{
      StatusCode::OK, StatusCode::RESOURCE_EXHAUSTED};
  static const auto* const kCorrupt = new std::vector<StatusCode>{
      StatusCode::DATA_LOSS, StatusCode::INVALID_ARGUMENT,
      StatusCode::FAILED_PRECONDITION, StatusCode::RESOURCE_EXHAUSTED};
  static const auto* const kCancelled = new std::vector<StatusCode>{
      StatusCode::CANCELLED, StatusCode::OK, StatusCode::RESOURCE_EXHAUSTED};
  static const auto* const kExpired =
      new std::vector<StatusCode>{StatusCode::DEADLINE_EXCEEDED};
  static const auto* const kTiny =
      new std::vector<StatusCode>{StatusCode::DEADLINE_EXCEEDED, StatusCode::OK,
                                  StatusCode::RESOURCE_EXHAUSTED};
  static const auto* const kMessage =
      new std::vector<StatusCode>{StatusCode::RESOURCE_EXHAUSTED};
  static const auto* const kImage = new std::vector<StatusCode>{
      StatusCode::INVALID_ARGUMENT, StatusCode::RESOURCE_EXHAUSTED};
  switch (kind) {
    case SoakKind::kEncode:
    case SoakKind::kDecode:
      return *kValid;
    case SoakKind::kCorruptDecode:
      return *kCorrupt;
    case SoakKind::kCancelled:
      return *kCancelled;
    case SoakKind::kExpiredDeadline:
      return *kExpired;
    case SoakKind::kTinyDeadline:
      return *kTiny;
    case SoakKind::kOversizedMessage:
      return *kMessage;
    case SoakKind::kOversizedImage:
      return *kImage;
  }
  return *kExpired;
}

bool IsAllowed(SoakKind kind, grpc::StatusCode code) {
  const std::vector<grpc::StatusCode>& allowed = AllowedCodes(kind);
  return std::find(allowed.begin(), allowed.end(), code) != allowed.end();
}

bool SoakTally::Record(SoakKind kind, const grpc::Status& status,
                       const std::string& what) {
  const std::string code = rpc::GrpcCodeName(status.error_code());
  const bool allowed = IsAllowed(kind, status.error_code());
  std::lock_guard<std::mutex> lock(mu_);
  ++counts_.by_kind[SoakKindName(kind)][code];
  ++counts_.by_code[code];
  ++counts_.calls;
  if (!allowed) {
    ++counts_.unexpected;
    KeepFailure(absl::StrCat("unexpected ", code, " for ", SoakKindName(kind),
                             what.empty() ? "" : " (", what,
                             what.empty() ? "" : ")", ": ",
                             status.error_message()));
  }
  return allowed;
}

void SoakTally::RecordVerified(SoakKind kind, const std::string& mismatch) {
  std::lock_guard<std::mutex> lock(mu_);
  ++counts_.verified;
  ++counts_.verified_by_kind[SoakKindName(kind)];
  if (!mismatch.empty()) {
    ++counts_.mismatches;
    KeepFailure(
        absl::StrCat("mismatch in ", SoakKindName(kind), ": ", mismatch));
  }
}

SoakTally::Snapshot SoakTally::Get() const {
  std::lock_guard<std::mutex> lock(mu_);
  return counts_;
}

void SoakTally::KeepFailure(std::string what) {
  if (counts_.first_failures.size() < kMaxKeptFailures) {
    counts_.first_failures.push_back(std::move(what));
  }
}

}  // namespace vlmc::bench
