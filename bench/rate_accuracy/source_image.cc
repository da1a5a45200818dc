#include "bench/rate_accuracy/source_image.h"

#include <filesystem>

#include "models/image/image_io.h"
#include "models/metrics/yolo_labels.h"

namespace vlmc::bench {

image::Image CropToEven(const image::Image& img) {
  image::Image out;
  out.width = img.width - img.width % 2;
  out.height = img.height - img.height % 2;
  out.rgb.reserve(size_t{3} * out.width * out.height);
  for (int y = 0; y < out.height; ++y) {
    const auto row = img.rgb.begin() + size_t{3} * y * img.width;
    out.rgb.insert(out.rgb.end(), row, row + size_t{3} * out.width);
  }
  return out;
}

absl::StatusOr<SourceImage> LoadSourceImage(const std::string& images_dir,
                                            const std::string& labels_dir,
                                            const std::string& name) {
  absl::StatusOr<image::Image> img =
      image::ReadImageFile((std::filesystem::path(images_dir) / name).string());
  if (!img.ok()) return img.status();
  const std::string label_path =
      (std::filesystem::path(labels_dir) /
       std::filesystem::path(name).replace_extension(".txt"))
          .string();
  // Boxes in the pixels of the full image; the crop drops at most one pixel
  // at the right and bottom edge.
  absl::StatusOr<std::vector<semantic::Detection>> labels =
      metrics::ReadYoloLabelFile(label_path, img->width, img->height,
                                 metrics::MissingLabels::kNoObjects);
  if (!labels.ok()) return labels.status();
  SourceImage source;
  source.name = name;
  source.image = CropToEven(*img);
  source.labels = *std::move(labels);
  source.has_label_file = std::filesystem::exists(label_path);
  return source;
}

}  // namespace vlmc::bench
