// Shared pieces of the trainer smoke tests: a tiny codec configuration on one
// synthetic image, and the check that a checkpoint exports to a working model.
#ifndef VLMC_MODELS_TRAIN_TINY_TRAINING_FIXTURE_H_
#define VLMC_MODELS_TRAIN_TINY_TRAINING_FIXTURE_H_

#include <string>

#include "models/codec/safetensors.h"
#include "models/image/image.h"
#include "models/train/training_loop.h"

namespace vlmc::train {

// A fresh directory under the system's temp directory.
std::string MakeTempDir();

// The 96×80 synthetic image the tiny runs train on.
image::Image TinyTrainingImage();

// Writes TinyTrainingImage() to DIR/images/a.png and returns options for an
// N = M = 8 codec on 64×64 crops of it (batch 2, one thread, CPU, a progress
// line and a checkpoint every step). Steps and out_dir are the caller's.
TrainOptions TinyTrainOptions(const std::string& dir);

// Exports `checkpoint` as a float16 model and codes TinyTrainingImage() with
// it (gtest expectations).
void ExpectExportedModelCodesTheImage(const codec::TensorFile& checkpoint,
                                      const std::string& model_id);

}  // namespace vlmc::train

#endif  // VLMC_MODELS_TRAIN_TINY_TRAINING_FIXTURE_H_
