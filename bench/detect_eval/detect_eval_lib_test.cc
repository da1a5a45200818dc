#include <fstream>
#include <string>

#include "absl/status/status.h"
#include "bench/detect_eval/eval_report.h"
#include "bench/detect_eval/reference_detections.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vlmc::bench {
namespace {

using ::testing::HasSubstr;

TEST(ReferenceDetectionsTest, ParsesImagesAndDetections) {
  const auto ref = ParseReferenceDetections(R"([
    {"image": "a.jpg", "width": 640, "height": 480,
     "detections": [{"class_id": 45, "score": 0.53, "box": [1, 2, 30, 40]},
                    {"class": "person", "class_id": 0, "score": 1,
                     "box": [0, 0, 5.5, 6]}]},
    {"image": "dir/b.jpg", "detections": []}])");
  ASSERT_TRUE(ref.ok()) << ref.status();
  ASSERT_EQ(ref->size(), 2u);
  const auto& a = ref->at("a.jpg");
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].class_id, 45);
  EXPECT_FLOAT_EQ(a[0].score, 0.53f);
  EXPECT_FLOAT_EQ(a[0].x0, 1);
  EXPECT_FLOAT_EQ(a[0].y0, 2);
  EXPECT_FLOAT_EQ(a[0].x1, 30);
  EXPECT_FLOAT_EQ(a[0].y1, 40);
  EXPECT_FLOAT_EQ(a[1].x1, 5.5f);
  EXPECT_TRUE(ref->at("b.jpg").empty());  // keyed by file name
}

TEST(ReferenceDetectionsTest, RejectsMalformedInput) {
  struct Case {
    const char* json;
    const char* message;
  };
  for (const Case& c : {
           Case{"[", "invalid JSON"},
           Case{R"({"image": "a.jpg"})", "expected a JSON array"},
           Case{R"([{"detections": []}])", "entry 0: \"image\""},
           Case{R"([{"image": "a.jpg"}])", "\"detections\" missing"},
           Case{R"([{"image": "a.jpg", "detections": [{"score": 1,
                "box": [0, 0, 1, 1]}]}])",
                "detection 0: \"class_id\""},
           Case{R"([{"image": "a.jpg", "detections": [{"class_id": 1.5,
                "score": 1, "box": [0, 0, 1, 1]}]}])",
                "\"class_id\""},
           Case{R"([{"image": "a.jpg", "detections": [{"class_id": 1,
                "score": "high", "box": [0, 0, 1, 1]}]}])",
                "\"score\""},
           Case{R"([{"image": "a.jpg", "detections": [{"class_id": 1,
                "score": 1, "box": [0, 0, 1]}]}])",
                "\"box\" is not"},
           Case{R"([{"image": "a.jpg", "detections": [{"class_id": 1,
                "score": 1, "box": [5, 0, 1, 1]}]}])",
                "x0 > x1"},
           Case{R"([{"image": "a.jpg", "detections": []},
                   {"image": "a.jpg", "detections": []}])",
                "entry 1: a.jpg is listed twice"},
       }) {
    const auto ref = ParseReferenceDetections(c.json);
    EXPECT_EQ(ref.status().code(), absl::StatusCode::kInvalidArgument)
        << c.json;
    EXPECT_THAT(ref.status().message(), HasSubstr(c.message)) << c.json;
  }
}

TEST(EvalReportTest, TableAndCsv) {
  EvalRow row;
  row.name = "jpeg q10 vs pseudo-GT";
  row.images = 64;
  row.metrics.num_classes = 12;
  row.metrics.map50 = 0.5;
  row.metrics.map50_95 = 0.25;
  EvalRow empty;
  empty.name = "none";
  const std::string table = FormatEvalTable({row, empty});
  EXPECT_THAT(table, HasSubstr("mAP@0.5"));
  EXPECT_THAT(table, HasSubstr("jpeg q10 vs pseudo-GT      64       12    "
                               "0.5000        0.2500\n"));
  EXPECT_THAT(table, HasSubstr("none"));
  EXPECT_EQ(FormatEvalCsv("nanodet", {row, empty}),
            "model,evaluation,images,classes,map50,map50_95\n"
            "nanodet,jpeg q10 vs pseudo-GT,64,12,0.500000,0.250000\n"
            "nanodet,none,0,0,-1.000000,-1.000000\n");
}

TEST(ImageListTest, ReadsNamesSkippingBlanksAndComments) {
  const std::string path = ::testing::TempDir() + "/list.txt";
  std::ofstream(path) << "# held out\n000000000009.jpg\n\n 000000000025.jpg \n";
  const auto names = ReadImageList(path);
  ASSERT_TRUE(names.ok()) << names.status();
  EXPECT_THAT(*names,
              ::testing::ElementsAre("000000000009.jpg", "000000000025.jpg"));
  std::ofstream(path) << "a/b.jpg\n";
  EXPECT_EQ(ReadImageList(path).status().code(),
            absl::StatusCode::kInvalidArgument);
  std::ofstream(path) << "\n# nothing\n";
  EXPECT_EQ(ReadImageList(path).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadImageList(path + ".missing").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(ImageListTest, HoldoutListHasTheHeldOutImages) {
  const auto names = ReadImageList("models/train/coco_eval_holdout.txt");
  if (!names.ok()) GTEST_SKIP() << names.status();
  EXPECT_EQ(names->size(), 64u);
}

}  // namespace
}  // namespace vlmc::bench
