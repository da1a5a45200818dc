#include "bench/baseline_codecs.h"

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "bench/ppm.h"
#include "bench/subprocess.h"
#include "bench/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "models/image/metrics.h"
#include "models/image/png_codec.h"
#include "models/util/file_io.h"

namespace vlmc::bench {
namespace {

using ::testing::HasSubstr;
using ::testing::IsSubsetOf;
using ::testing::StartsWith;

// A smooth gradient (64x48 by default): easy to code well.
image::Image Gradient(int width = 64, int height = 48) {
  image::Image img;
  img.width = width;
  img.height = height;
  for (int y = 0; y < img.height; ++y) {
    for (int x = 0; x < img.width; ++x) {
      img.rgb.push_back(static_cast<uint8_t>(x * 4));
      img.rgb.push_back(static_cast<uint8_t>(y * 5));
      img.rgb.push_back(static_cast<uint8_t>(128 + (x - y)));
    }
  }
  return img;
}

// Codes Gradient() at a low-rate and a high-rate setting of `codec`.
void ExpectCodes(BaselineCodec codec, const char* encoder, int low_rate,
                 int high_rate) {
  if (!FindInPath(encoder).ok()) GTEST_SKIP() << encoder << " not installed";
  const image::Image src = Gradient();
  absl::StatusOr<BaselineResult> lo = RunBaseline(codec, src, low_rate);
  absl::StatusOr<BaselineResult> hi = RunBaseline(codec, src, high_rate);
  ASSERT_TRUE(lo.ok()) << lo.status();
  ASSERT_TRUE(hi.ok()) << hi.status();
  EXPECT_GT(lo->bytes, 0);
  EXPECT_LT(lo->bytes, hi->bytes);
  EXPECT_EQ(hi->decoded.width, 64);
  EXPECT_EQ(hi->decoded.height, 48);
  absl::StatusOr<double> psnr_lo = image::Psnr(src, lo->decoded);
  absl::StatusOr<double> psnr_hi = image::Psnr(src, hi->decoded);
  ASSERT_TRUE(psnr_lo.ok() && psnr_hi.ok());
  EXPECT_GT(*psnr_lo, 20);
  EXPECT_GT(*psnr_hi, 35);
  EXPECT_LT(*psnr_lo, *psnr_hi);
  EXPECT_THAT(hi->encode_command, StartsWith(std::string(encoder) + " "));
  EXPECT_THAT(hi->encode_command, HasSubstr(hi->work_dir));
}

TEST(BaselineCodecsTest, JpegRoundTrip) {
  ExpectCodes(BaselineCodec::kJpeg, "cjpeg", 10, 90);
}

TEST(BaselineCodecsTest, WebpRoundTrip) {
  ExpectCodes(BaselineCodec::kWebp, "cwebp", 10, 90);
}

TEST(BaselineCodecsTest, AvifRoundTrip) {
  ExpectCodes(BaselineCodec::kAvif, "avifenc", 55, 10);
}

TEST(BaselineCodecsTest, JxlRoundTrip) {
  ExpectCodes(BaselineCodec::kJxl, "cjxl", 20, 90);
}

TEST(BaselineCodecsTest, HevcRoundTrip) {
  ExpectCodes(BaselineCodec::kHevc, "ffmpeg", 45, 15);
}

// Runs `r.encode_command` again in a fresh directory holding the same input
// and returns the file it writes: the recorded command is the one that ran.
std::optional<std::string> RerunRecordedEncode(BaselineCodec codec,
                                               const BaselineResult& r,
                                               const image::Image& src) {
  absl::StatusOr<ScopedTempDir> dir = ScopedTempDir::Create("vlmc-rerun-");
  if (!dir.ok()) {
    ADD_FAILURE() << dir.status();
    return std::nullopt;
  }
  const bool ppm = codec == BaselineCodec::kJpeg;
  absl::StatusOr<std::string> input =
      ppm ? EncodePpm(src) : image::EncodePng(src);
  if (!input.ok() ||
      !util::WriteFileAtomically(dir->File(ppm ? "in.ppm" : "in.png"), *input)
           .ok()) {
    ADD_FAILURE() << "cannot write the input";
    return std::nullopt;
  }
  // The recorded commands need no quoting: splitting on spaces is exact.
  const std::vector<std::string> argv = absl::StrSplit(
      absl::StrReplaceAll(r.encode_command, {{r.work_dir, dir->path()}}), ' ');
  absl::StatusOr<CommandResult> run = RunCommand(argv);
  if (!run.ok() || run->exit_code != 0) {
    ADD_FAILURE() << r.encode_command << " failed to rerun";
    return std::nullopt;
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir->path())) {
    if (entry.path().stem() == "out") {
      absl::StatusOr<std::string> coded = util::ReadFile(entry.path().string());
      if (coded.ok()) return *coded;
    }
  }
  ADD_FAILURE() << "no out.* file after " << r.encode_command;
  return std::nullopt;
}

// `bytes` is the size of the coded file the recorded command writes, and the
// file is the bare format (no other container around it).
void ExpectBytesAreTheCodedFile(BaselineCodec codec, const char* encoder,
                                int quality, absl::string_view magic,
                                size_t magic_offset) {
  if (!FindInPath(encoder).ok()) GTEST_SKIP() << encoder << " not installed";
  const image::Image src = Gradient();
  absl::StatusOr<BaselineResult> r = RunBaseline(codec, src, quality);
  ASSERT_TRUE(r.ok()) << r.status();
  std::optional<std::string> coded = RerunRecordedEncode(codec, *r, src);
  ASSERT_TRUE(coded.has_value());
  EXPECT_EQ(r->bytes, static_cast<int64_t>(coded->size()));
  EXPECT_EQ(coded->substr(magic_offset, magic.size()), magic);
}

TEST(BaselineCodecsTest, JpegBytesAreTheCodedFile) {
  ExpectBytesAreTheCodedFile(BaselineCodec::kJpeg, "cjpeg", 50, "\xFF\xD8", 0);
}

TEST(BaselineCodecsTest, WebpBytesAreTheCodedFile) {
  ExpectBytesAreTheCodedFile(BaselineCodec::kWebp, "cwebp", 50, "WEBP", 8);
}

TEST(BaselineCodecsTest, AvifBytesAreTheCodedFile) {
  ExpectBytesAreTheCodedFile(BaselineCodec::kAvif, "avifenc", 30, "ftypavif",
                             4);
}

TEST(BaselineCodecsTest, JxlBytesAreTheCodedFile) {
  // A bare JPEG XL codestream, not the ISO BMFF container.
  ExpectBytesAreTheCodedFile(BaselineCodec::kJxl, "cjxl", 50, "\xFF\x0A", 0);
}

TEST(BaselineCodecsTest, HevcBytesAreTheCodedFile) {
  ExpectBytesAreTheCodedFile(BaselineCodec::kHevc, "ffmpeg", 30,
                             std::string("\0\0\0\1\x40\x01", 6), 0);
}

// Types of the NAL units of an Annex B HEVC stream.
std::set<int> HevcNalTypes(const std::string& stream) {
  std::set<int> types;
  for (size_t at = stream.find(std::string("\0\0\1", 3));
       at != std::string::npos && at + 3 < stream.size();
       at = stream.find(std::string("\0\0\1", 3), at + 3)) {
    types.insert((static_cast<uint8_t>(stream[at + 3]) >> 1) & 0x3F);
  }
  return types;
}

TEST(BaselineCodecsTest, HevcStreamIsParameterSetsAndOneIntraPicture) {
  if (!FindInPath("ffmpeg").ok()) GTEST_SKIP() << "ffmpeg not installed";
  const image::Image src = Gradient();
  absl::StatusOr<BaselineResult> r = RunBaseline(BaselineCodec::kHevc, src, 30);
  ASSERT_TRUE(r.ok()) << r.status();
  std::optional<std::string> coded =
      RerunRecordedEncode(BaselineCodec::kHevc, *r, src);
  ASSERT_TRUE(coded.has_value());
  // VPS, SPS, PPS and IDR slices (19, 20): no SEI (39, 40) with x265's
  // settings string, no access unit delimiter (35).
  EXPECT_THAT(HevcNalTypes(*coded), IsSubsetOf({32, 33, 34, 19, 20}));
  EXPECT_THAT(r->encode_command, HasSubstr("-pix_fmt yuv420p"));
  EXPECT_THAT(r->encode_command, HasSubstr("qp=30:"));
}

TEST(BaselineCodecsTest, JpegCommandLineIsExact) {
  if (!FindInPath("cjpeg").ok()) GTEST_SKIP() << "cjpeg not installed";
  absl::StatusOr<BaselineResult> r =
      RunBaseline(BaselineCodec::kJpeg, Gradient(), 75);
  ASSERT_TRUE(r.ok()) << r.status();
  const std::string& w = r->work_dir;
  EXPECT_EQ(r->encode_command,
            "cjpeg -quality 75 -sample 2x2 -optimize -outfile " + w +
                "/out.jpg " + w + "/in.ppm");
  EXPECT_EQ(r->decode_command,
            "djpeg -ppm -outfile " + w + "/dec.ppm " + w + "/out.jpg");
}

TEST(BaselineCodecsTest, AvifCommandLineIsExact) {
  if (!FindInPath("avifenc").ok()) GTEST_SKIP() << "avifenc not installed";
  absl::StatusOr<BaselineResult> r =
      RunBaseline(BaselineCodec::kAvif, Gradient(), 40);
  ASSERT_TRUE(r.ok()) << r.status();
  const std::string& w = r->work_dir;
  EXPECT_EQ(r->encode_command,
            "avifenc -j 1 -c aom -s 6 -y 420 --min 40 --max 40 " + w +
                "/in.png " + w + "/out.avif");
  EXPECT_EQ(r->decode_command,
            "avifdec -j 1 " + w + "/out.avif " + w + "/dec.png");
}

// Restores $PATH when it goes out of scope.
class ScopedPath {
 public:
  explicit ScopedPath(const char* value) {
    if (const char* old = std::getenv("PATH")) old_ = old;
    setenv("PATH", value, 1);
  }
  ~ScopedPath() { setenv("PATH", old_.c_str(), 1); }

 private:
  std::string old_;
};

TEST(BaselineCodecsTest, MissingToolNamesTheDebianPackage) {
  const ScopedPath empty_path("/nonexistent-vlmc-test-dir");
  const struct {
    BaselineCodec codec;
    const char* message;
  } cases[] = {
      {BaselineCodec::kJpeg, "cjpeg not found: install libjpeg-turbo-progs"},
      {BaselineCodec::kWebp, "cwebp not found: install webp"},
      {BaselineCodec::kAvif, "avifenc not found: install libavif-bin"},
      {BaselineCodec::kJxl, "cjxl not found: install libjxl-tools"},
      {BaselineCodec::kHevc, "ffmpeg not found: install ffmpeg"},
  };
  for (const auto& c : cases) {
    const int quality = BaselineQualityScale(c.codec).max / 2;
    absl::StatusOr<BaselineResult> r =
        RunBaseline(c.codec, Gradient(), quality);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound) << c.message;
    EXPECT_THAT(r.status().message(), HasSubstr(c.message));
    EXPECT_EQ(BaselineToolVersions(c.codec).status().code(),
              absl::StatusCode::kNotFound)
        << c.message;
  }
}

TEST(BaselineCodecsTest, ToolVersionsNameEachTool) {
  if (!FindInPath("ffmpeg").ok()) GTEST_SKIP() << "ffmpeg not installed";
  absl::StatusOr<std::vector<std::string>> v =
      BaselineToolVersions(BaselineCodec::kHevc);
  ASSERT_TRUE(v.ok()) << v.status();
  ASSERT_EQ(v->size(), 2);
  EXPECT_THAT((*v)[0], StartsWith("ffmpeg: ffmpeg version "));
  EXPECT_THAT((*v)[1], StartsWith("libx265: "));
}

TEST(BaselineCodecsTest, NamesAndScales) {
  for (BaselineCodec codec : kAllBaselineCodecs) {
    EXPECT_EQ(*ParseBaselineCodec(BaselineCodecName(codec)), codec);
    const QualityScale scale = BaselineQualityScale(codec);
    EXPECT_LT(scale.min, scale.max);
    EXPECT_FALSE(scale.meaning.empty());
  }
  EXPECT_FALSE(BaselineQualityScale(BaselineCodec::kAvif).higher_is_better);
  EXPECT_FALSE(BaselineQualityScale(BaselineCodec::kHevc).higher_is_better);
  EXPECT_TRUE(BaselineQualityScale(BaselineCodec::kJxl).higher_is_better);
}

TEST(BaselineCodecsTest, RejectsBadArguments) {
  EXPECT_FALSE(ParseBaselineCodec("bpg").ok());
  EXPECT_EQ(*ParseBaselineCodec("webp"), BaselineCodec::kWebp);
  EXPECT_EQ(*ParseBaselineCodec("hevc"), BaselineCodec::kHevc);
  EXPECT_EQ(RunBaseline(BaselineCodec::kJpeg, Gradient(), 101).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RunBaseline(BaselineCodec::kAvif, Gradient(), 64).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RunBaseline(BaselineCodec::kJxl, Gradient(), 4).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RunBaseline(BaselineCodec::kHevc, Gradient(), 52).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(RunBaseline(BaselineCodec::kJpeg, image::Image{}, 50).ok());
  const image::Image odd = Gradient(32, 71);
  absl::StatusOr<BaselineResult> r = RunBaseline(BaselineCodec::kHevc, odd, 30);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("32x71"));
}

}  // namespace
}  // namespace vlmc::bench
