#ifndef VLMC_MODELS_TRAIN_CROP_DATASET_H_
#define VLMC_MODELS_TRAIN_CROP_DATASET_H_

#include <torch/torch.h>

#include <random>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace vlmc::train {

// Training images held decoded in memory; serves batches of random crops
// (with random horizontal flips) as float tensors in [0, 1].
class CropDataset {
 public:
  // Decodes each image file in `files` (see ListImages). Images whose
  // shorter side is below `crop` are skipped.
  static absl::StatusOr<CropDataset> Load(const std::vector<std::string>& files,
                                          int crop);

  // [batch, 3, crop, crop] float32.
  torch::Tensor Sample(int batch, std::mt19937& rng) const;

  // [k, 3, side, side] float32: the centre crops of up to `count` images
  // spread evenly over the dataset's order, among those with both sides >=
  // `side`. The same images every call (for monitoring). NOT_FOUND when no
  // image is that large, INVALID_ARGUMENT when count < 1.
  absl::StatusOr<torch::Tensor> CenterCrops(int count, int side) const;

  size_t size() const { return images_.size(); }

 private:
  int crop_ = 0;
  std::vector<torch::Tensor> images_;  // uint8 [3, H, W]
};

// Every .png/.jpg/.jpeg directly under each of `dirs` (sorted by name within
// a directory), skipping files whose name is in `exclude_names`.
absl::StatusOr<std::vector<std::string>> ListImages(
    const std::vector<std::string>& dirs,
    const std::vector<std::string>& exclude_names = {});

}  // namespace vlmc::train

#endif  // VLMC_MODELS_TRAIN_CROP_DATASET_H_
