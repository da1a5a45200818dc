"""Converts the images callers hold into request fields and answers back."""
import os
import struct

import numpy as np

from ._proto import codec_pb2, lvlm_pb2
from .errors import VlmcError


def read_file(what, path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise VlmcError(f"{what} '{os.fspath(path)}': {e.strerror}") from None


def _check_rgb8(array):
    if array.dtype != np.uint8 or array.ndim != 3 or array.shape[2] != 3:
        raise VlmcError("an image array must be HxWx3 uint8, got shape "
                        f"{array.shape} of {array.dtype}", "INVALID_ARGUMENT")


def image_input(image):
    """ImageInput of a PNG/JPEG path, such a file's bytes (the server detects
    the format), or an HxWx3 uint8 RGB array (raw pixels)."""
    if isinstance(image, np.ndarray):
        _check_rgb8(image)
        height, width, _ = image.shape
        return codec_pb2.ImageInput(raw=codec_pb2.RawImage(
            width=width, height=height, data=np.ascontiguousarray(image).tobytes()))
    if isinstance(image, (bytes, bytearray, memoryview)):
        return codec_pb2.ImageInput(encoded=bytes(image))
    if isinstance(image, (str, os.PathLike)):
        return codec_pb2.ImageInput(encoded=read_file("image", image))
    raise VlmcError("an image must be a PNG/JPEG path, such a file's bytes or "
                    f"an HxWx3 uint8 array, not {type(image).__name__}",
                    "INVALID_ARGUMENT")


def rgb8_array(data, width, height):
    """HxWx3 uint8 array (writable) of interleaved RGB8 bytes."""
    return np.frombuffer(data, dtype=np.uint8).reshape(height, width, 3).copy()


def float_tensor(image):
    """The LvlmService tensor of an HxWx3 uint8 array: float32 NCHW in [0, 1],
    as VlmCodec.Decode returns it (lvlm.proto)."""
    _check_rgb8(image)
    height, width, _ = image.shape
    chw = image.transpose(2, 0, 1).astype("<f4") / np.float32(255)
    return lvlm_pb2.Tensor(shape=[1, 3, height, width], data=chw.tobytes())


def stream_size(stream):
    """(width, height) from a .vlmc stream's header (models/bitstream/
    FORMAT.md), or None when it does not parse (the server will say why)."""
    if len(stream) < 7 or stream[:4] != b"VLMC":
        return None
    at = 17 + stream[6]  # width follows the model id and its length byte
    if len(stream) < at + 8:
        return None
    return struct.unpack_from("<II", stream, at)
