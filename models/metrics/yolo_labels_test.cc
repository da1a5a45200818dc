#include "models/metrics/yolo_labels.h"

#include <fstream>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vlmc::metrics {
namespace {

using ::testing::HasSubstr;

TEST(YoloLabelsTest, ConvertsNormalisedCentreSizeToPixels) {
  const auto boxes =
      ParseYoloLabels("3 0.5 0.25 0.5 0.5\n0 0.1 0.9 0.2 0.2\n", 200, 100);
  ASSERT_TRUE(boxes.ok()) << boxes.status();
  ASSERT_EQ(boxes->size(), 2u);
  const semantic::Detection& a = (*boxes)[0];
  EXPECT_EQ(a.class_id, 3);
  EXPECT_EQ(a.score, 1.0f);
  EXPECT_FLOAT_EQ(a.x0, 50);
  EXPECT_FLOAT_EQ(a.y0, 0);
  EXPECT_FLOAT_EQ(a.x1, 150);
  EXPECT_FLOAT_EQ(a.y1, 50);
  const semantic::Detection& b = (*boxes)[1];
  EXPECT_EQ(b.class_id, 0);
  EXPECT_FLOAT_EQ(b.x0, 0);  // 0.1 - 0.1 of 200
  EXPECT_FLOAT_EQ(b.y0, 80);
  EXPECT_FLOAT_EQ(b.x1, 40);
  EXPECT_FLOAT_EQ(b.y1, 100);
}

TEST(YoloLabelsTest, ClampsEdgesOutsideTheImage) {
  const auto boxes = ParseYoloLabels("1 0.1 0.5 0.4 1\n", 100, 100);
  ASSERT_TRUE(boxes.ok()) << boxes.status();
  EXPECT_FLOAT_EQ((*boxes)[0].x0, 0);  // 0.1 - 0.2 < 0
  EXPECT_FLOAT_EQ((*boxes)[0].x1, 30);
}

TEST(YoloLabelsTest, EmptyAndBlankTextMeansNoObjects) {
  for (const char* text : {"", "\n", "  \r\n\n"}) {
    const auto boxes = ParseYoloLabels(text, 10, 10);
    ASSERT_TRUE(boxes.ok()) << boxes.status();
    EXPECT_TRUE(boxes->empty());
  }
}

TEST(YoloLabelsTest, CrlfAndTabsAreAccepted) {
  const auto boxes = ParseYoloLabels("2\t0.5 0.5 0.5 0.5\r\n", 10, 10);
  ASSERT_TRUE(boxes.ok()) << boxes.status();
  EXPECT_EQ(boxes->size(), 1u);
}

TEST(YoloLabelsTest, MalformedLinesNameTheLine) {
  struct Case {
    const char* text;
    const char* message;
  };
  for (const Case& c : {
           Case{"0 0.5 0.5 0.5\n", "line 1: expected 5 fields"},
           Case{"0 0.5 0.5 0.5 0.5\n0 0.5 0.5 0.5 0.5 7\n",
                "line 2: expected 5 fields"},
           Case{"person 0.5 0.5 0.5 0.5", "class \"person\""},
           Case{"-1 0.5 0.5 0.5 0.5", "not a non-negative integer"},
           Case{"1.5 0.5 0.5 0.5 0.5", "not a non-negative integer"},
           Case{"0 0.5 x 0.5 0.5", "cy \"x\" is not a number in [0, 1]"},
           Case{"0 0.5 0.5 1.2 0.5", "w \"1.2\""},
           Case{"0 0.5 0.5 0.5 nan", "h \"nan\""},
           Case{"0 0.5 0.5 0 0.5", "zero width or height"},
       }) {
    const auto boxes = ParseYoloLabels(c.text, 10, 10);
    EXPECT_EQ(boxes.status().code(), absl::StatusCode::kInvalidArgument)
        << c.text;
    EXPECT_THAT(boxes.status().message(), HasSubstr(c.message)) << c.text;
  }
}

TEST(YoloLabelsTest, RejectsEmptyImage) {
  EXPECT_FALSE(ParseYoloLabels("", 0, 10).ok());
}

TEST(YoloLabelFileTest, MissingFileIsAnErrorUnlessToldOtherwise) {
  const std::string path = ::testing::TempDir() + "/no_such_labels.txt";
  const auto strict = ReadYoloLabelFile(path, 10, 10);
  EXPECT_EQ(strict.status().code(), absl::StatusCode::kNotFound);
  const auto lenient =
      ReadYoloLabelFile(path, 10, 10, MissingLabels::kNoObjects);
  ASSERT_TRUE(lenient.ok()) << lenient.status();
  EXPECT_TRUE(lenient->empty());
}

TEST(YoloLabelFileTest, ErrorsNameThePath) {
  const std::string path = ::testing::TempDir() + "/bad_labels.txt";
  std::ofstream(path) << "0 0.5 0.5 0.5 0.5\n0 2 0.5 0.5 0.5\n";
  const auto boxes = ReadYoloLabelFile(path, 10, 10);
  EXPECT_EQ(boxes.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(boxes.status().message(),
              HasSubstr(path + ": YOLO labels line 2"));
}

TEST(YoloLabelFileTest, ReadsAShippedCocoLabelFile) {
  // 000000000009.txt starts "45 0.479492 0.688771 0.955609 0.5955" for a
  // 640x480 image.
  const std::string path = "../shared/data/coco/labels/000000000009.txt";
  if (!std::ifstream(path)) GTEST_SKIP() << "no COCO data at " << path;
  const auto boxes = ReadYoloLabelFile(path, 640, 480);
  ASSERT_TRUE(boxes.ok()) << boxes.status();
  ASSERT_FALSE(boxes->empty());
  EXPECT_EQ((*boxes)[0].class_id, 45);
  EXPECT_NEAR((*boxes)[0].x0, (0.479492 - 0.955609 / 2) * 640, 1e-3);
  EXPECT_NEAR((*boxes)[0].y1, (0.688771 + 0.5955 / 2) * 480, 1e-3);
}

}  // namespace
}  // namespace vlmc::metrics
