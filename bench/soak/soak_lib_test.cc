#include <fcntl.h>
#include <unistd.h>

#include <cstring>

#include "bench/soak/answer_check.h"
#include "bench/soak/proc_stats.h"
#include "bench/soak/soak_cases.h"
#include "bench/soak/soak_options.h"
#include "bench/soak/soak_report.h"
#include "bench/soak/soak_tally.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "models/image/png_codec.h"

namespace vlmc::bench {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

image::Image TwoPixels() {
  return image::Image{2, 1, {0, 10, 20, 255, 128, 1}};
}

TEST(SoakTallyTest, CountsByKindAndCodeAndFlagsUnexpectedCodes) {
  SoakTally tally;
  EXPECT_TRUE(tally.Record(SoakKind::kDecode, grpc::Status::OK));
  EXPECT_TRUE(tally.Record(SoakKind::kCorruptDecode,
                           grpc::Status(grpc::StatusCode::DATA_LOSS, "")));
  EXPECT_FALSE(tally.Record(SoakKind::kCorruptDecode, grpc::Status::OK, "x"));
  EXPECT_FALSE(tally.Record(SoakKind::kEncode,
                            grpc::Status(grpc::StatusCode::INTERNAL, "boom")));
  EXPECT_TRUE(tally.Record(
      SoakKind::kEncode,
      grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "queue full")));
  tally.RecordVerified(SoakKind::kDecode, "");
  tally.RecordVerified(SoakKind::kDecode, "pixels differ");
  const SoakTally::Snapshot snapshot = tally.Get();
  EXPECT_EQ(snapshot.calls, 5);
  EXPECT_EQ(snapshot.unexpected, 2);
  EXPECT_EQ(snapshot.verified, 2);
  EXPECT_EQ(snapshot.mismatches, 1);
  EXPECT_EQ(snapshot.by_kind.at("corrupt_decode").at("OK"), 1);
  EXPECT_EQ(snapshot.by_code.at("RESOURCE_EXHAUSTED"), 1);
  ASSERT_EQ(snapshot.first_failures.size(), 3u);
  EXPECT_THAT(snapshot.first_failures[0],
              HasSubstr("unexpected OK for corrupt_decode (x)"));
  EXPECT_THAT(snapshot.first_failures[1], HasSubstr("INTERNAL"));
  EXPECT_THAT(snapshot.first_failures[2], HasSubstr("pixels differ"));
}

TEST(SoakTallyTest, ExpiredDeadlinesAllowOnlyDeadlineExceeded) {
  EXPECT_TRUE(IsAllowed(SoakKind::kExpiredDeadline,
                        grpc::StatusCode::DEADLINE_EXCEEDED));
  EXPECT_FALSE(IsAllowed(SoakKind::kExpiredDeadline, grpc::StatusCode::OK));
  EXPECT_TRUE(IsAllowed(SoakKind::kCancelled, grpc::StatusCode::CANCELLED));
  EXPECT_FALSE(IsAllowed(SoakKind::kOversizedMessage,
                         grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_FALSE(IsAllowed(SoakKind::kDecode, grpc::StatusCode::UNAVAILABLE));
}

TEST(AnswerCheckTest, DecodeAnswersMustHoldTheLibraryPixels) {
  const image::Image pixels = TwoPixels();
  v1::DecodeResponse raw;
  raw.set_width(2);
  raw.set_height(1);
  raw.set_format(v1::OUTPUT_FORMAT_RAW_RGB8);
  raw.set_data(std::string(pixels.rgb.begin(), pixels.rgb.end()));
  EXPECT_EQ(CheckDecodeAnswer(raw, v1::OUTPUT_FORMAT_RAW_RGB8, pixels), "");
  raw.mutable_data()->back() ^= 1;
  EXPECT_THAT(CheckDecodeAnswer(raw, v1::OUTPUT_FORMAT_RAW_RGB8, pixels),
              HasSubstr("differ"));
  raw.set_width(1);
  EXPECT_THAT(CheckDecodeAnswer(raw, v1::OUTPUT_FORMAT_RAW_RGB8, pixels),
              HasSubstr("size"));

  v1::DecodeResponse png = raw;
  png.set_width(2);
  png.set_format(v1::OUTPUT_FORMAT_PNG);
  png.set_data(*image::EncodePng(pixels));
  EXPECT_EQ(CheckDecodeAnswer(png, v1::OUTPUT_FORMAT_PNG, pixels), "");
  EXPECT_THAT(CheckDecodeAnswer(png, v1::OUTPUT_FORMAT_RAW_RGB8, pixels),
              HasSubstr("format"));

  v1::DecodeResponse tensor = png;
  tensor.set_format(v1::OUTPUT_FORMAT_FLOAT32_NCHW);
  for (int64_t d : {1, 3, 1, 2}) tensor.add_tensor_shape(d);
  std::string data(2 * 3 * sizeof(float), '\0');
  for (int c = 0; c < 3; ++c) {
    for (int i = 0; i < 2; ++i) {
      const float value = pixels.rgb[i * 3 + c] / 255.0f;
      std::memcpy(&data[(c * 2 + i) * sizeof(float)], &value, sizeof(float));
    }
  }
  tensor.set_data(data);
  EXPECT_EQ(CheckDecodeAnswer(tensor, v1::OUTPUT_FORMAT_FLOAT32_NCHW, pixels),
            "");
  data[sizeof(float) * 4 + 3] ^= 1;  // channel 2, pixel 0
  tensor.set_data(data);
  EXPECT_THAT(CheckDecodeAnswer(tensor, v1::OUTPUT_FORMAT_FLOAT32_NCHW, pixels),
              HasSubstr("pixel 0 channel 2"));
}

TEST(AnswerCheckTest, EncodeAnswersMustEqualTheLibraryStream) {
  v1::EncodeResponse response;
  response.set_stream("VLMC...");
  response.mutable_stats()->set_width(2);
  response.mutable_stats()->set_height(1);
  EXPECT_EQ(CheckEncodeAnswer(response, "VLMC...", 2, 1), "");
  EXPECT_THAT(CheckEncodeAnswer(response, "VLMC..,", 2, 1),
              HasSubstr("differs"));
  EXPECT_THAT(CheckEncodeAnswer(response, "VLMC...", 1, 2), HasSubstr("stats"));
}

TEST(ProcStatsTest, CountsThisProcessesFds) {
  const absl::StatusOr<int> before = CountOpenFds(getpid());
  ASSERT_TRUE(before.ok()) << before.status();
  const int fd = open("/dev/null", O_RDONLY);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(*CountOpenFds(getpid()), *before + 1);
  close(fd);
  EXPECT_EQ(*CountOpenFds(getpid()), *before);
  EXPECT_GT(*ReadRssKib(getpid()), 0);
  EXPECT_FALSE(CountOpenFds(0x3fffffff).ok());
}

TEST(SoakCasesTest, OversizedCasesFollowTheServerLimits) {
  const ServerLimits limits{1 << 20, 256 * 256, 1000};
  const std::vector<RefusalCase> cases =
      MakeOversizedCases(limits, "png bytes", 768 * 512, "/nonexistent");
  ASSERT_EQ(cases.size(), 5u);
  EXPECT_EQ(cases[0].kind, SoakKind::kOversizedMessage);
  EXPECT_GT(cases[0].encode_request.image().encoded().size(), 1u << 20);
  EXPECT_GT(cases[1].decode_request.stream().size(), 1u << 20);
  EXPECT_EQ(cases[2].encode_request.image().raw().width(), 1001u);
  const v1::RawImage& over = cases[3].encode_request.image().raw();
  EXPECT_GT(uint64_t{over.width()} * over.height(), 256u * 256);
  EXPECT_EQ(over.data().size(), uint64_t{over.width()} * over.height() * 3);
  EXPECT_EQ(cases[4].encode_request.image().encoded(), "png bytes");
  // A PNG under the pixel limit is no oversized case.
  EXPECT_EQ(MakeOversizedCases(limits, "png", 100, "/nonexistent").size(), 4u);
}

TEST(SoakOptionsTest, ParsesAndRefusesNonLoopbackServers) {
  SoakOptions defaults;
  defaults.server_binary = "/bin/server";
  const char* ok[] = {"vlmc-soak", "--duration",   "12",
                      "--sizes",   "64x48,32x32",  "--qualities",
                      "0.5",       "--max-warmup", "30"};
  absl::StatusOr<SoakOptions> options = ParseSoakOptions(9, ok, defaults);
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->duration_s, 12);
  EXPECT_EQ(options->max_warmup_s, 30);
  EXPECT_EQ(options->sizes,
            (std::vector<std::pair<int, int>>{{64, 48}, {32, 32}}));
  EXPECT_EQ(options->qualities, std::vector<double>{0.5});

  const char* remote[] = {"vlmc-soak", "--server", "10.0.0.1:50051"};
  EXPECT_FALSE(ParseSoakOptions(3, remote, defaults).ok());
  const char* local[] = {"vlmc-soak", "--server", "127.0.0.1:50051"};
  options = ParseSoakOptions(3, local, defaults);
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_THAT(options->server_binary, IsEmpty());
  const char* fractional[] = {"vlmc-soak", "--concurrency", "1.5"};
  EXPECT_FALSE(ParseSoakOptions(3, fractional, defaults).ok());
  const char* pid_alone[] = {"vlmc-soak", "--server-pid", "5"};
  EXPECT_FALSE(ParseSoakOptions(3, pid_alone, defaults).ok());
}

TEST(SoakReportTest, FailsOnGrowthDeathAndMissingVerification) {
  SoakReport report;
  report.alive_at_end = true;
  report.tally.verified_by_kind = {{"encode", 3}, {"decode", 4}};
  report.start.rss_kib = 100000;
  report.end.rss_kib = 120000;
  report.start.fds = 20;
  report.end.fds = 24;
  EXPECT_THAT(FailedChecks(report, 25, 4), IsEmpty());
  EXPECT_THAT(FormatSummary(report, {}, 25, 4), HasSubstr("result: PASS"));

  report.end.fds = 25;
  report.end.rss_kib = 126000;
  report.exit_status = 137;
  report.tally.verified_by_kind.erase("decode");
  const std::vector<std::string> failed = FailedChecks(report, 25, 4);
  ASSERT_EQ(failed.size(), 4u);
  EXPECT_THAT(failed[0], HasSubstr("exit status"));
  EXPECT_THAT(failed[1], HasSubstr("no decode"));
  EXPECT_THAT(failed[2], HasSubstr("fds grew from 20 to 25"));
  EXPECT_THAT(failed[3], HasSubstr("RSS grew"));
  EXPECT_THAT(FormatSummary(report, failed, 25, 4), HasSubstr("result: FAIL"));
}

}  // namespace
}  // namespace vlmc::bench
