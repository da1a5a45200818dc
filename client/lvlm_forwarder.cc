#include "client/lvlm_forwarder.h"

#include <utility>

#include "absl/time/clock.h"

namespace vlmc {

absl::StatusOr<std::unique_ptr<LvlmForwarder>> LvlmForwarder::Create(
    const std::string& codec_target, const std::string& lvlm_target,
    const ClientOptions& options) {
  return Create(codec_target, options, lvlm_target, options);
}

absl::StatusOr<std::unique_ptr<LvlmForwarder>> LvlmForwarder::Create(
    const std::string& codec_target, const ClientOptions& codec_options,
    const std::string& lvlm_target, const ClientOptions& lvlm_options) {
  absl::StatusOr<std::unique_ptr<CodecClient>> codec =
      CodecClient::Create(codec_target, codec_options);
  if (!codec.ok()) return codec.status();
  absl::StatusOr<std::unique_ptr<LvlmClient>> lvlm =
      LvlmClient::Create(lvlm_target, lvlm_options);
  if (!lvlm.ok()) return lvlm.status();
  return std::unique_ptr<LvlmForwarder>(new LvlmForwarder(
      std::move(*codec), std::move(*lvlm), codec_options.timeout));
}

LvlmForwarder::LvlmForwarder(std::unique_ptr<CodecClient> codec,
                             std::unique_ptr<LvlmClient> lvlm,
                             absl::Duration timeout)
    : codec_(std::move(codec)),
      lvlm_(std::move(lvlm)),
      default_timeout_(timeout) {}

absl::StatusOr<ForwardResult> LvlmForwarder::DecodeAndInfer(
    absl::string_view stream, const std::string& task,
    const std::string& prompt,
    const std::map<std::string, std::string>& options,
    const CallOptions& call) {
  const absl::Time start = absl::Now();
  const absl::Time deadline =
      start +
      (call.timeout > absl::ZeroDuration() ? call.timeout : default_timeout_);
  v1::DecodeRequest decode_request;
  decode_request.set_stream(std::string(stream));
  decode_request.set_format(v1::OUTPUT_FORMAT_FLOAT32_NCHW);
  absl::StatusOr<v1::DecodeResponse> decoded =
      codec_->Decode(decode_request, {deadline - start});
  if (!decoded.ok()) return decoded.status();
  const absl::Time decoded_at = absl::Now();
  if (decoded_at >= deadline) {
    return absl::DeadlineExceededError(
        "the deadline passed during Decode, before Infer");
  }

  ForwardResult result;
  result.width = decoded->width();
  result.height = decoded->height();
  result.server_decode_ms = decoded->decode_ms();
  result.decode_ms = absl::ToDoubleMilliseconds(decoded_at - start);

  v1::InferRequest infer_request;
  v1::Tensor* tensor = infer_request.mutable_tensor();
  *tensor->mutable_shape() = decoded->tensor_shape();
  // The tensor is the bulk of both messages: move it, do not copy it.
  tensor->set_data(std::move(*decoded->mutable_data()));
  infer_request.set_task(task);
  infer_request.set_prompt(prompt);
  infer_request.mutable_options()->insert(options.begin(), options.end());
  absl::StatusOr<v1::InferResponse> answer =
      lvlm_->Infer(infer_request, {deadline - decoded_at});
  if (!answer.ok()) return answer.status();
  const absl::Time done = absl::Now();
  result.answer = std::move(*answer);
  result.infer_ms = absl::ToDoubleMilliseconds(done - decoded_at);
  result.total_ms = absl::ToDoubleMilliseconds(done - start);
  return result;
}

}  // namespace vlmc
