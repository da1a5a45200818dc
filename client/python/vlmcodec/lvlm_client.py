"""Client of an LvlmService (proto/vlmc/v1/lvlm.proto), e.g. vlmc-lvlm-ref."""
import numpy as np

from ._proto import lvlm_pb2, lvlm_pb2_grpc
from .connection import Connection
from .images import float_tensor, read_file
from .results import InferResult


class LvlmClient:
    """Asks an LvlmService about images. Connection options as VlmcClient's.

    VlmcClient.forward hands it images decoded on a codec server; `infer`
    sends an image this process holds.
    """

    def __init__(self, target, **connection_options):
        self._connection = Connection(target, "LvlmService", **connection_options)
        self._stub = lvlm_pb2_grpc.LvlmServiceStub(self._connection.channel)

    @property
    def target(self):
        return self._connection.target

    @property
    def timeout(self):
        return self._connection.timeout

    def infer(self, image, task="detect", prompt="", options=None):
        """InferResult for `image`: a PNG/JPEG path or file bytes, or an
        HxWx3 uint8 array (sent as the float tensor). `task`, `prompt` and
        `options` (str -> str; detect: min_score, detector) as in lvlm.proto."""
        request = infer_request(task, prompt, options)
        if isinstance(image, np.ndarray):
            request.tensor.CopyFrom(float_tensor(image))
        elif isinstance(image, (bytes, bytearray, memoryview)):
            request.image = bytes(image)
        else:
            request.image = read_file("image", image)
        return self.send(request)

    def send(self, request, timeout=None):
        """InferResult for an InferRequest built by the caller; `timeout`
        (seconds) overrides the client's."""
        return InferResult.from_response(
            self._connection.unary("Infer", self._stub.Infer, request, timeout))

    def close(self):
        self._connection.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def infer_request(task, prompt, options):
    """An InferRequest without its input."""
    request = lvlm_pb2.InferRequest(task=task, prompt=prompt)
    for key, value in (options or {}).items():
        request.options[str(key)] = str(value)
    return request
