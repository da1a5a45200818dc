#include "bench/rate_accuracy/source_image.h"

#include "absl/status/status.h"
#include "bench/temp_dir.h"
#include "gtest/gtest.h"
#include "models/image/image_io.h"
#include "models/util/file_io.h"

namespace vlmc::bench {
namespace {

image::Image Numbered(int w, int h) {
  image::Image img;
  img.width = w;
  img.height = h;
  for (int i = 0; i < w * h * 3; ++i) img.rgb.push_back(i % 251);
  return img;
}

TEST(SourceImageTest, CropToEvenDropsTheLastOddColumnAndRow) {
  const image::Image img = Numbered(5, 3);
  const image::Image even = CropToEven(img);
  ASSERT_EQ(even.width, 4);
  ASSERT_EQ(even.height, 2);
  ASSERT_EQ(even.rgb.size(), 4u * 2 * 3);
  for (int y = 0; y < 2; ++y) {
    for (int x = 0; x < 4; ++x) {
      for (int c = 0; c < 3; ++c) {
        EXPECT_EQ(even.rgb[(y * 4 + x) * 3 + c], img.rgb[(y * 5 + x) * 3 + c]);
      }
    }
  }
  const image::Image already = Numbered(4, 6);
  EXPECT_EQ(CropToEven(already).rgb, already.rgb);
}

TEST(SourceImageTest, LoadsImageAndLabelsInFullImagePixels) {
  absl::StatusOr<ScopedTempDir> dir = ScopedTempDir::Create("vlmc-src-");
  ASSERT_TRUE(dir.ok()) << dir.status();
  ASSERT_TRUE(image::WritePngFile(Numbered(101, 50), dir->File("a.png")).ok());
  ASSERT_TRUE(
      util::WriteFileAtomically(dir->File("a.txt"), "2 0.5 0.5 0.2 0.4\n")
          .ok());
  absl::StatusOr<SourceImage> s =
      LoadSourceImage(dir->path(), dir->path(), "a.png");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->name, "a.png");
  EXPECT_EQ(s->image.width, 100);
  EXPECT_EQ(s->image.height, 50);
  EXPECT_TRUE(s->has_label_file);
  ASSERT_EQ(s->labels.size(), 1u);
  EXPECT_EQ(s->labels[0].class_id, 2);
  EXPECT_NEAR(s->labels[0].x0, 101 * 0.4, 1e-3);
  EXPECT_NEAR(s->labels[0].y1, 50 * 0.7, 1e-3);
}

TEST(SourceImageTest, NoLabelFileMeansNoObjects) {
  absl::StatusOr<ScopedTempDir> dir = ScopedTempDir::Create("vlmc-src-");
  ASSERT_TRUE(dir.ok()) << dir.status();
  ASSERT_TRUE(image::WritePngFile(Numbered(8, 8), dir->File("b.png")).ok());
  absl::StatusOr<SourceImage> s =
      LoadSourceImage(dir->path(), dir->path(), "b.png");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_FALSE(s->has_label_file);
  EXPECT_TRUE(s->labels.empty());
}

TEST(SourceImageTest, MissingImageIsNotFound) {
  absl::StatusOr<ScopedTempDir> dir = ScopedTempDir::Create("vlmc-src-");
  ASSERT_TRUE(dir.ok()) << dir.status();
  EXPECT_EQ(
      LoadSourceImage(dir->path(), dir->path(), "none.png").status().code(),
      absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace vlmc::bench
