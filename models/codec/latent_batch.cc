#include "models/codec/latent_batch.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "models/bitstream/stream_format.h"
#include "models/image/resample.h"

namespace vlmc::codec {

absl::StatusOr<LatentBatch> StackLatents(
    absl::Span<const DecodedLatents> batch) {
  if (batch.empty()) return absl::InvalidArgumentError("empty latent batch");
  const torch::Tensor& first = batch.front().y_hat;
  std::vector<torch::Tensor> latents;
  std::vector<float> qualities;
  for (const DecodedLatents& latent : batch) {
    const torch::Tensor& y = latent.y_hat;
    if (!y.defined() || y.dim() != 4 || y.size(0) != 1 ||
        y.scalar_type() != torch::kFloat64 || !y.device().is_cpu()) {
      return absl::InvalidArgumentError(
          "latents must be float64 [1, M, h, w] CPU tensors");
    }
    if (y.sizes() != first.sizes()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "latent shapes differ in one batch: ", c10::str(y.sizes()), " vs ",
          c10::str(first.sizes())));
    }
    latents.push_back(y);
    qualities.push_back(static_cast<float>(
        bitstream::CodeToQuality(latent.header.quality_code)));
  }
  LatentBatch stacked;
  stacked.y_hat = latents.size() == 1 ? first : torch::cat(latents, 0);
  stacked.quality =
      torch::tensor(qualities, torch::TensorOptions(torch::kFloat32));
  return stacked;
}

torch::Tensor ToPixels(const torch::Tensor& x_hat) {
  // float16 has too few bits for x * 255 to round like the float64 decode.
  const torch::Tensor x =
      x_hat.scalar_type() == torch::kHalf ? x_hat.to(torch::kFloat32) : x_hat;
  return x.clamp(0.0, 1.0).mul(255.0).round().to(torch::kUInt8);
}

absl::StatusOr<std::vector<image::Image>> PixelsToImages(
    const torch::Tensor& pixels, absl::Span<const DecodedLatents> batch) {
  std::vector<image::Image> images;
  images.reserve(batch.size());
  for (size_t b = 0; b < batch.size(); ++b) {
    const bitstream::StreamHeader& header = batch[b].header;
    const uint32_t coded_width =
        bitstream::CodedExtent(header.width, header.downscale_log2);
    const uint32_t coded_height =
        bitstream::CodedExtent(header.height, header.downscale_log2);
    const torch::Tensor rgb = pixels[static_cast<int64_t>(b)]
                                  .slice(1, 0, coded_height)
                                  .slice(2, 0, coded_width)
                                  .permute({1, 2, 0})
                                  .contiguous();
    image::Image image;
    image.width = static_cast<int>(coded_width);
    image.height = static_cast<int>(coded_height);
    image.rgb.resize(rgb.numel());
    std::memcpy(image.rgb.data(), rgb.data_ptr<uint8_t>(), image.rgb.size());
    if (header.downscale_log2 != 0) {
      absl::StatusOr<image::Image> full = image::UpscaleCubic(
          image, 1 << header.downscale_log2, static_cast<int>(header.width),
          static_cast<int>(header.height));
      if (!full.ok()) return full.status();
      image = *std::move(full);
    }
    images.push_back(std::move(image));
  }
  return images;
}

}  // namespace vlmc::codec
