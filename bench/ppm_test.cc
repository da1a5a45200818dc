#include "bench/ppm.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vlmc::bench {
namespace {

using ::testing::HasSubstr;

image::Image TwoByOne() {
  image::Image img;
  img.width = 2;
  img.height = 1;
  img.rgb = {1, 2, 3, 250, 251, 10};
  return img;
}

TEST(PpmTest, RoundTrips) {
  absl::StatusOr<std::string> ppm = EncodePpm(TwoByOne());
  ASSERT_TRUE(ppm.ok()) << ppm.status();
  EXPECT_EQ(ppm->substr(0, 11), "P6\n2 1\n255\n");
  absl::StatusOr<image::Image> back = DecodePpm(*ppm);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->width, 2);
  EXPECT_EQ(back->height, 1);
  EXPECT_EQ(back->rgb, TwoByOne().rgb);
}

TEST(PpmTest, AcceptsCommentsInHeader) {
  const std::string ppm = std::string("P6 # made by hand\n2\t1 # size\n255\n") +
                          std::string("\x01\x02\x03\x04\x05\x06", 6);
  absl::StatusOr<image::Image> img = DecodePpm(ppm);
  ASSERT_TRUE(img.ok()) << img.status();
  EXPECT_EQ(img->rgb[5], 6);
}

TEST(PpmTest, RejectsBadInput) {
  EXPECT_FALSE(EncodePpm(image::Image{}).ok());
  EXPECT_FALSE(DecodePpm("P5\n1 1\n255\n\x01").ok());
  EXPECT_THAT(DecodePpm("P6\n1 1\n65535\n").status().message(),
              HasSubstr("maxval 65535"));
  EXPECT_THAT(DecodePpm("P6\n2 1\n255\nabc").status().message(),
              HasSubstr("needs 6 raster bytes, file has 3"));
  EXPECT_FALSE(DecodePpm("P6\n0 1\n255\n").ok());
  EXPECT_FALSE(DecodePpm("P6\n99999999 99999999\n255\n").ok());
  EXPECT_FALSE(DecodePpm("P6\nx 1\n255\n").ok());
}

}  // namespace
}  // namespace vlmc::bench
