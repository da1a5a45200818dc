"""Client of a VlmCodec server (proto/vlmc/v1/codec.proto)."""
import time

from ._proto import codec_pb2, codec_pb2_grpc
from .connection import Connection
from .errors import TargetNotMetError, VlmcError
from .images import image_input, rgb8_array, stream_size
from .lvlm_client import infer_request
from .results import EncodeResult, ForwardResult, TaskEncodeResult

_RESOLUTIONS = {
    "full": codec_pb2.CODED_RESOLUTION_FULL,
    "half": codec_pb2.CODED_RESOLUTION_HALF,
    "quarter": codec_pb2.CODED_RESOLUTION_QUARTER,
    "auto": codec_pb2.CODED_RESOLUTION_AUTO,
}

_TASKS = {"detect": "min_detection_agreement", "tokens": "min_token_cosine"}

# Bytes per pixel of a decoded payload, to tell ahead whether the answer
# fits a unary call; PNG is bounded by its stored (incompressible) size.
_DECODED_BYTES_PER_PIXEL = {
    codec_pb2.OUTPUT_FORMAT_RAW_RGB8: 3,
    codec_pb2.OUTPUT_FORMAT_FLOAT32_NCHW: 12,
    codec_pb2.OUTPUT_FORMAT_PNG: 3.1,
}


def _invalid(message):
    return VlmcError(message, "INVALID_ARGUMENT")


def _rate_target(quality, target_bpp, max_bytes, resolution):
    given = {name: value for name, value in
             (("quality", quality), ("target_bpp", target_bpp),
              ("max_bytes", max_bytes)) if value is not None}
    if len(given) != 1:
        raise _invalid("give exactly one rate target: quality, target_bpp or "
                       f"max_bytes (got {', '.join(given) or 'none'})")
    if resolution is None:
        # Below what quality 0 reaches at full size, a bpp or byte target
        # needs a smaller coded resolution; "auto" tries full size first.
        resolution = "full" if quality is not None else "auto"
    if resolution not in _RESOLUTIONS:
        raise _invalid(f"resolution must be one of {', '.join(_RESOLUTIONS)}, "
                       f"got {resolution!r}")
    rate = codec_pb2.RateTarget(resolution=_RESOLUTIONS[resolution])
    if quality is not None:
        rate.quality = float(quality)
    elif target_bpp is not None:
        rate.target_bpp = float(target_bpp)
    else:
        if int(max_bytes) < 1:
            raise _invalid(f"max_bytes must be positive, got {max_bytes}")
        rate.max_bytes = int(max_bytes)
    name, value = next(iter(given.items()))
    return rate, f"{name}={value}"


class VlmcClient:
    """Encodes and decodes images on a VlmCodec server.

    `target` is HOST:PORT. Keyword options: `tls`, `ca_file`, `cert_file`,
    `key_file`, `server_name` (TLS; any of them turns it on), `token` (bearer
    token), `timeout` (deadline of one call, seconds, default 30). See
    Connection. Requests, and answers expected to be, over `max_unary_bytes`
    go through the chunked EncodeStream / DecodeStream calls, whose messages
    carry `stream_chunk_bytes` of payload each.

    Every call raises VlmcError for what can go wrong on the way: a server
    error keeps its gRPC code name (`error.code`) and message. Usable as a
    context manager, which closes the channel.
    """

    def __init__(self, target, *, max_unary_bytes=7 << 19,
                 stream_chunk_bytes=1 << 20, **connection_options):
        self._connection = Connection(target, "VlmCodec", **connection_options)
        self._stub = codec_pb2_grpc.VlmCodecStub(self._connection.channel)
        self._max_unary_bytes = max_unary_bytes
        self._chunk_bytes = stream_chunk_bytes

    @property
    def target(self):
        return self._connection.target

    def encode(self, image, quality=None, target_bpp=None, max_bytes=None, *,
               resolution=None, model_id="", model_version=0,
               require_target=False):
        """Compresses `image` (a PNG/JPEG path or file bytes, or an HxWx3
        uint8 array) at exactly one rate target: `quality` in [0, 1],
        `target_bpp` (bits per pixel) or `max_bytes`.

        `resolution`: "full", "half", "quarter" or "auto" (default: "auto"
        for bpp and byte targets, which codes at full size unless even
        quality 0 does not fit; "full" for a quality). `model_id` /
        `model_version`: the server's default when empty / 0.

        Returns an EncodeResult. A target the server cannot reach gives the
        closest stream with target_met False, or with `require_target` a
        TargetNotMetError holding it.
        """
        rate, target_text = _rate_target(quality, target_bpp, max_bytes,
                                         resolution)
        request = codec_pb2.EncodeRequest(
            image=image_input(image), rate=rate,
            model=codec_pb2.ModelSelector(model_id=model_id,
                                          version=model_version))
        if request.ByteSize() > self._max_unary_bytes:
            response = self._encode_chunked(request)
        else:
            response = self._connection.unary("Encode", self._stub.Encode, request)
        result = EncodeResult.from_response(response)
        if require_target and not result.target_met:
            raise TargetNotMetError(
                f"Encode at {self.target}: target {target_text} not met: the "
                f"closest stream has {result.stream_bytes} bytes "
                f"({result.bpp:.4f} bpp) at quality {result.quality:.3f}, "
                f"1/{result.downscale} resolution", result)
        return result

    def encode_for_task(self, image, task="detect", fidelity=0.9, *,
                        max_passes=0, model_id="", model_version=0,
                        require_target=False):
        """The smallest stream whose reconstruction keeps `fidelity` of
        `task`: "detect" (detection agreement, mAP@0.5 against the
        detections on the original) or "tokens" (semantic token cosine).
        `max_passes`: encode+decode+measure passes (0: the server's 8).

        Returns a TaskEncodeResult (achieved_fidelity: the measured value).
        When even quality 1 misses the target: the quality-1 stream with
        target_met False, or with `require_target` a TargetNotMetError.
        """
        if task not in _TASKS:
            raise _invalid(f"task must be one of {', '.join(_TASKS)}, got {task!r}")
        spec = codec_pb2.TaskSpec(**{_TASKS[task]: float(fidelity)})
        request = codec_pb2.EncodeForTaskRequest(
            image=image_input(image), task=spec, max_passes=int(max_passes),
            model=codec_pb2.ModelSelector(model_id=model_id,
                                          version=model_version))
        result = TaskEncodeResult.from_response(self._connection.unary(
            "EncodeForTask", self._stub.EncodeForTask, request))
        if require_target and not result.target_met:
            raise TargetNotMetError(
                f"EncodeForTask at {self.target}: {task} fidelity {fidelity} "
                f"not met: quality {result.quality:.3f} reaches "
                f"{result.achieved_fidelity:.4f} ({result.stream_bytes} bytes)",
                result)
        return result

    def decode(self, stream):
        """The decoded image of a .vlmc stream: HxWx3 uint8 RGB array."""
        response, data = self._decode(stream, codec_pb2.OUTPUT_FORMAT_RAW_RGB8)
        return rgb8_array(data, response.width, response.height)

    def decode_png(self, stream):
        """The decoded image of a .vlmc stream as a PNG file's bytes."""
        return self._decode(stream, codec_pb2.OUTPUT_FORMAT_PNG)[1]

    def get_info(self):
        """The server's models, rate range and limits: a GetInfoResponse
        (codec.proto documents its fields)."""
        return self._connection.unary("GetInfo", self._stub.GetInfo,
                                      codec_pb2.GetInfoRequest())

    def forward(self, stream, lvlm, task="detect", prompt="", options=None):
        """Decodes `stream` on this server and hands the float tensor to
        `lvlm` (an LvlmClient), as `vlmc forward` does. `task`, `prompt`,
        `options` as in LvlmClient.infer. Both calls share this client's
        timeout. Returns a ForwardResult."""
        start = time.monotonic()
        decoded, data = self._decode(stream, codec_pb2.OUTPUT_FORMAT_FLOAT32_NCHW)
        decoded_at = time.monotonic()
        left = self._connection.timeout - (decoded_at - start)
        if left <= 0:
            raise self._connection.error(
                "Decode", "the deadline passed during Decode, before Infer",
                "DEADLINE_EXCEEDED")
        request = infer_request(task, prompt, options)
        request.tensor.shape.extend(decoded.tensor_shape)
        request.tensor.data = data
        answer = lvlm.send(request, timeout=left)
        done = time.monotonic()
        return ForwardResult(
            answer=answer, width=decoded.width, height=decoded.height,
            decode_ms=(decoded_at - start) * 1e3,
            server_decode_ms=decoded.decode_ms,
            infer_ms=(done - decoded_at) * 1e3, total_ms=(done - start) * 1e3)

    def close(self):
        self._connection.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _decode(self, stream, output_format):
        """(DecodeResponse without data, data), unary or chunked."""
        stream = bytes(stream)
        size = stream_size(stream)
        expected = (size[0] * size[1] * _DECODED_BYTES_PER_PIXEL[output_format]
                    if size else 0)
        if max(len(stream), expected) > self._max_unary_bytes:
            head = codec_pb2.DecodeRequest(format=output_format)
            return self._connection.chunked(
                "DecodeStream", self._stub.DecodeStream,
                self._chunks(head, stream, codec_pb2.DecodeRequest))
        response = self._connection.unary(
            "Decode", self._stub.Decode,
            codec_pb2.DecodeRequest(stream=stream, format=output_format))
        data = response.data
        response.ClearField("data")
        return response, data

    def _encode_chunked(self, request):
        head = codec_pb2.EncodeRequest(model=request.model, rate=request.rate)
        if request.image.HasField("raw"):
            raw = request.image.raw
            head.image.raw.width = raw.width
            head.image.raw.height = raw.height
            payload = raw.data
        else:
            head.image.encoded = b""  # selects `encoded`: the chunks are a file
            payload = request.image.encoded
        response, stream = self._connection.chunked(
            "EncodeStream", self._stub.EncodeStream,
            self._chunks(head, payload, codec_pb2.EncodeRequest))
        response.stream = stream
        return response

    def _chunks(self, head, payload, message_type):
        """`head` with the first slice of `payload` as its chunk, then
        chunk-only messages with the rest (codec.proto, EncodeStream)."""
        message = head
        offset = 0
        while True:
            message.chunk = payload[offset:offset + self._chunk_bytes]
            offset += self._chunk_bytes
            yield message
            if offset >= len(payload):
                return
            message = message_type()
