#ifndef VLMC_BENCH_RATE_ACCURACY_SOURCE_IMAGE_H_
#define VLMC_BENCH_RATE_ACCURACY_SOURCE_IMAGE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "models/image/image.h"
#include "models/semantic/detection.h"

namespace vlmc::bench {

// An evaluation image and its ground-truth boxes.
struct SourceImage {
  std::string name;  // File name in the image folder.
  image::Image image;
  std::vector<semantic::Detection> labels;  // Empty: no objects.
  bool has_label_file = false;
};

// `img` without its last column and/or row where the width or height is odd:
// x265 codes 4:2:0 only at even sizes, and every codec must see the same
// pixels.
image::Image CropToEven(const image::Image& img);

// Reads <images_dir>/<name> and its YOLO labels <labels_dir>/<stem>.txt (none:
// an image without objects, YOLO's convention), then crops to even sizes.
// Errors name the file.
absl::StatusOr<SourceImage> LoadSourceImage(const std::string& images_dir,
                                            const std::string& labels_dir,
                                            const std::string& name);

}  // namespace vlmc::bench

#endif  // VLMC_BENCH_RATE_ACCURACY_SOURCE_IMAGE_H_
