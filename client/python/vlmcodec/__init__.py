"""Python client of the vlmcodec gRPC service (proto/vlmc/v1).

    from vlmcodec import VlmcClient, LvlmClient
    with VlmcClient("127.0.0.1:50051") as codec:
        result = codec.encode("frame.png", target_bpp=0.1)
        pixels = codec.decode(result.stream)          # HxWx3 uint8
        answer = codec.forward(result.stream, LvlmClient("127.0.0.1:50061"))

Every expected failure is a VlmcError (see errors.py).
"""
from .codec_client import VlmcClient
from .errors import TargetNotMetError, VlmcError
from .lvlm_client import LvlmClient
from .results import (Box, EncodeResult, ForwardResult, InferResult,
                      TaskEncodeResult)

__all__ = ["Box", "EncodeResult", "ForwardResult", "InferResult",
           "LvlmClient", "TargetNotMetError", "TaskEncodeResult",
           "VlmcClient", "VlmcError"]
