#include "proto/rpc/grpc_status.h"

#include "gtest/gtest.h"

namespace vlmc::rpc {
namespace {

TEST(GrpcStatusTest, OkMapsToOk) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  EXPECT_TRUE(FromGrpcStatus(grpc::Status::OK).ok());
}

TEST(GrpcStatusTest, CodesTheDesignNamesCarryOverWithTheirMessage) {
  const absl::Status cases[] = {
      absl::DataLossError("y segment truncated"),
      absl::FailedPreconditionError("unknown model"),
      absl::InvalidArgumentError("width is 0"),
      absl::ResourceExhaustedError("queue full"),
      absl::DeadlineExceededError("late"),
      absl::UnavailableError("shutting down"),
      absl::CancelledError("client went away"),
      absl::NotFoundError("no such file"),
      absl::InternalError("bug"),
      absl::UnimplementedError("task 'vqa'"),
  };
  for (const absl::Status& status : cases) {
    const grpc::Status grpc_status = ToGrpcStatus(status);
    EXPECT_EQ(static_cast<int>(grpc_status.error_code()),
              static_cast<int>(status.code()));
    EXPECT_EQ(grpc_status.error_message(), status.message());
    EXPECT_EQ(FromGrpcStatus(grpc_status), status);
  }
  EXPECT_EQ(ToGrpcStatus(absl::ResourceExhaustedError("x")).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(ToGrpcStatus(absl::DataLossError("x")).error_code(),
            grpc::StatusCode::DATA_LOSS);
}

TEST(GrpcCodeNameTest, NamesTheCanonicalCodes) {
  EXPECT_EQ(GrpcCodeName(grpc::StatusCode::OK), "OK");
  EXPECT_EQ(GrpcCodeName(grpc::StatusCode::RESOURCE_EXHAUSTED),
            "RESOURCE_EXHAUSTED");
  EXPECT_EQ(GrpcCodeName(grpc::StatusCode::DEADLINE_EXCEEDED),
            "DEADLINE_EXCEEDED");
  EXPECT_EQ(GrpcCodeName(static_cast<grpc::StatusCode>(99)), "CODE_99");
}

}  // namespace
}  // namespace vlmc::rpc
