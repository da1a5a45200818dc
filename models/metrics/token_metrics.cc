#include "models/metrics/token_metrics.h"

namespace vlmc::metrics {
namespace {

void CheckTokenShapes(const torch::Tensor& reference,
                      const torch::Tensor& test) {
  TORCH_CHECK(reference.dim() == 3,
              "token tensors must be [B, n, C], got reference of shape ",
              reference.sizes());
  TORCH_CHECK(reference.sizes() == test.sizes(),
              "token tensors differ in shape: reference ", reference.sizes(),
              ", test ", test.sizes());
}

}  // namespace

torch::Tensor MeanTokenCosine(const torch::Tensor& reference,
                              const torch::Tensor& test) {
  CheckTokenShapes(reference, test);
  return torch::cosine_similarity(reference, test, /*dim=*/-1, /*eps=*/1e-8)
      .mean();
}

torch::Tensor TokenSpectrumDistance(const torch::Tensor& reference,
                                    const torch::Tensor& test) {
  CheckTokenShapes(reference, test);
  // [B, min(n, C)], descending: corresponding entries pair up.
  const torch::Tensor s = torch::linalg::svdvals(reference, c10::nullopt);
  const torch::Tensor s_test = torch::linalg::svdvals(test, c10::nullopt);
  const torch::Tensor distance =
      (s_test - s).norm(2, /*dim=*/-1) / s.norm(2, /*dim=*/-1).clamp_min(1e-8);
  return distance.mean();
}

}  // namespace vlmc::metrics
