#include "models/train/crop_dataset.h"

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "models/image/image_io.h"

namespace vlmc::train {

absl::StatusOr<std::vector<std::string>> ListImages(
    const std::vector<std::string>& dirs,
    const std::vector<std::string>& exclude_names) {
  std::vector<std::string> files;
  for (const std::string& dir : dirs) {
    std::error_code error;
    std::vector<std::string> found;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
      const std::string ext =
          absl::AsciiStrToLower(entry.path().extension().string());
      const std::string name = entry.path().filename().string();
      if (std::find(exclude_names.begin(), exclude_names.end(), name) !=
          exclude_names.end()) {
        continue;
      }
      if (ext == ".png" || ext == ".jpg" || ext == ".jpeg")
        found.push_back(entry.path().string());
    }
    if (error)
      return absl::NotFoundError(
          absl::StrCat("cannot list ", dir, ": ", error.message()));
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

absl::StatusOr<CropDataset> CropDataset::Load(
    const std::vector<std::string>& files, int crop) {
  CropDataset dataset;
  dataset.crop_ = crop;
  for (const std::string& path : files) {
    absl::StatusOr<image::Image> img = image::ReadImageFile(path);
    if (!img.ok()) return img.status();
    if (std::min(img->width, img->height) < crop) continue;
    torch::Tensor t = torch::empty({img->height, img->width, 3}, torch::kUInt8);
    std::memcpy(t.data_ptr(), img->rgb.data(), img->rgb.size());
    dataset.images_.push_back(t.permute({2, 0, 1}).contiguous());
  }
  if (dataset.images_.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("no training image has both sides >= ", crop, " pixels"));
  }
  return dataset;
}

torch::Tensor CropDataset::Sample(int batch, std::mt19937& rng) const {
  std::vector<torch::Tensor> crops;
  crops.reserve(batch);
  std::uniform_int_distribution<size_t> pick(0, images_.size() - 1);
  for (int i = 0; i < batch; ++i) {
    const torch::Tensor& img = images_[pick(rng)];
    const int64_t top =
        std::uniform_int_distribution<int64_t>(0, img.size(1) - crop_)(rng);
    const int64_t left =
        std::uniform_int_distribution<int64_t>(0, img.size(2) - crop_)(rng);
    torch::Tensor c =
        img.slice(1, top, top + crop_).slice(2, left, left + crop_);
    if (rng() & 1) c = c.flip({2});
    crops.push_back(c);
  }
  return torch::stack(crops).to(torch::kFloat32).div_(255.0);
}

absl::StatusOr<torch::Tensor> CropDataset::CenterCrops(int count,
                                                       int side) const {
  if (count < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("centre crop count must be >= 1, got ", count));
  }
  std::vector<const torch::Tensor*> large;
  for (const torch::Tensor& img : images_) {
    if (img.size(1) >= side && img.size(2) >= side) large.push_back(&img);
  }
  if (large.empty()) {
    return absl::NotFoundError(
        absl::StrCat("no training image has both sides >= ", side, " pixels"));
  }
  const size_t picked = std::min<size_t>(count, large.size());
  std::vector<torch::Tensor> crops;
  for (size_t i = 0; i < picked; ++i) {
    const torch::Tensor& img = *large[i * large.size() / picked];
    const int64_t top = (img.size(1) - side) / 2;
    const int64_t left = (img.size(2) - side) / 2;
    crops.push_back(img.slice(1, top, top + side).slice(2, left, left + side));
  }
  return torch::stack(crops).to(torch::kFloat32).div_(255.0);
}

}  // namespace vlmc::train
