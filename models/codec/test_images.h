#ifndef VLMC_MODELS_CODEC_TEST_IMAGES_H_
#define VLMC_MODELS_CODEC_TEST_IMAGES_H_

// Test-only (the codec, rate control and service tests): the reference
// shipped codec (VLMC_REFERENCE_MODEL_DIR in the top CMakeLists.txt, whose
// golden streams cover every format) and crops of tests/data/kodim20.png.

#include "models/codec/codec.h"
#include "models/image/image.h"

namespace vlmc::codec::test {

// Loaded once per test binary; aborts the test run if the model is missing.
// The default float32 synthesis.
const codec::Codec& ShippedCodec();
// The same model with the float64 ("exact") synthesis, whose pixels do not
// depend on threads, batching or instruction set.
const codec::Codec& ExactShippedCodec();

// A fresh copy of the reference model's network, in eval mode.
HyperpriorNetwork ReferenceNetwork();

// The rounded hyper-latent z of kodim20 at quality 0.5, as the encoder
// computes it with `network`: int32 [1, N, 8, 12].
torch::Tensor Kodim20HyperLatent(HyperpriorNetwork& network);

// The width x height crop of kodim20 (768x512) whose top left is (x, y).
image::Image Kodim20Crop(int x, int y, int width, int height);

}  // namespace vlmc::codec::test

#endif  // VLMC_MODELS_CODEC_TEST_IMAGES_H_
