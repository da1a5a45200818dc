"""Imports the modules protoc generates from proto/ at build time.

client/python/CMakeLists.txt writes them to <build>/client/python/generated
(vlmc/v1/codec_pb2.py, ...). They are found on sys.path (PYTHONPATH), else in
$VLMC_PYTHON_PROTO_DIR, else in the checkout's ./build, where
scripts/build.sh builds.
"""
import os
import sys
from pathlib import Path


def _candidate_dirs():
    from_env = os.environ.get("VLMC_PYTHON_PROTO_DIR")
    if from_env:
        yield from_env
    repo = Path(__file__).resolve().parents[3]
    yield str(repo / "build" / "client" / "python" / "generated")


try:
    from vlmc.v1 import codec_pb2, codec_pb2_grpc, lvlm_pb2, lvlm_pb2_grpc
except ModuleNotFoundError as first_error:
    if first_error.name not in ("vlmc", "vlmc.v1", "vlmc.v1.codec_pb2"):
        raise  # grpc or google.protobuf itself is missing: say so as is
    for folder in _candidate_dirs():
        if os.path.isfile(os.path.join(folder, "vlmc", "v1", "codec_pb2.py")):
            sys.path.append(folder)
            break
    else:
        raise ImportError(
            "vlmcodec: the generated modules vlmc/v1/codec_pb2.py etc. were "
            "not found: build the project (scripts/build.sh, or ninja -C build "
            "vlmc_python_proto) or set VLMC_PYTHON_PROTO_DIR to "
            "<build>/client/python/generated") from None
    from vlmc.v1 import codec_pb2, codec_pb2_grpc, lvlm_pb2, lvlm_pb2_grpc

__all__ = ["codec_pb2", "codec_pb2_grpc", "lvlm_pb2", "lvlm_pb2_grpc"]
