#!/usr/bin/env python3
"""Writes the seed corpus of request_fuzzer.cc into corpus/request/.

Each seed is one selector byte (request_fuzzer.cc: bits 0-1 the message type,
bit 2 streamed) and the message serialized by `protoc --encode` from the text
format below; payloads come from the image and bitstream corpora. Valid
requests and ones each check refuses. Usage: tests/fuzz/make_request_corpus.py
(needs protoc on PATH). It overwrites only these seeds: the other files in
corpus/request/ (inputs merged from fuzzing runs, crash reproducers) stay.
"""

import pathlib
import subprocess

FUZZ = pathlib.Path(__file__).resolve().parent
PROTO_ROOT = FUZZ.parent.parent / "proto"
OUT = FUZZ / "corpus" / "request"

ENCODE, DECODE, TASK = 0, 1, 2
STREAMED = 4
MESSAGES = {ENCODE: "EncodeRequest", DECODE: "DecodeRequest",
            TASK: "EncodeForTaskRequest"}


def b(data: bytes) -> str:
    """A text-format bytes literal."""
    return '"' + "".join(f"\\{c:03o}" for c in data) + '"'


def corpus(name: str) -> bytes:
    return (FUZZ / "corpus" / name).read_bytes()


RGB_2X2 = bytes(range(12))
GOLDEN = corpus("bitstream/golden_kodim20_q0.5.vlmc")
SEEDS = {
    "encode_raw_quality": (ENCODE, f"image {{ raw {{ width: 2 height: 2 data: {b(RGB_2X2)} }} }} rate {{ quality: 0.5 }}"),
    "encode_png_bpp_model": (ENCODE, f'image {{ encoded: {b(corpus("image/rgb.png"))} }} model {{ model_id: "vlmc-hp" version: 2 }} rate {{ target_bpp: 0.3 }}'),
    "encode_jpeg_max_bytes": (ENCODE, f'image {{ encoded: {b(corpus("image/progressive.jpg"))} }} rate {{ max_bytes: 1000 }}'),
    "encode_raw_short_data": (ENCODE, f"image {{ raw {{ width: 3 height: 3 data: {b(RGB_2X2)} }} }} rate {{ quality: 1 }}"),
    "encode_raw_too_wide": (ENCODE, "image { raw { width: 20000 height: 1 } } rate { quality: 0 }"),
    "encode_quality_nan": (ENCODE, f"image {{ raw {{ width: 2 height: 2 data: {b(RGB_2X2)} }} }} rate {{ quality: nan }}"),
    "encode_no_image": (ENCODE, "rate { max_bytes: 0 }"),
    "encode_streamed_raw": (ENCODE | STREAMED, f"image {{ raw {{ width: 2 height: 2 }} }} rate {{ quality: 0.25 }} chunk: {b(RGB_2X2[:6])}"),
    "encode_streamed_png": (ENCODE | STREAMED, f'image {{ encoded: {b(corpus("image/gray.png")[:80])} }} rate {{ target_bpp: 1 }} chunk: {b(corpus("image/gray.png")[80:])}'),
    "decode_golden": (DECODE, f"stream: {b(GOLDEN)} format: OUTPUT_FORMAT_PNG"),
    "decode_pixels_at_limit": (DECODE, f'stream: {b(corpus("bitstream/pixels_at_codec_limit.vlmc"))} format: OUTPUT_FORMAT_FLOAT32_NCHW'),
    "decode_unknown_format": (DECODE, f'stream: {b(corpus("bitstream/tiny_body.vlmc"))} format: 7'),
    "decode_streamed": (DECODE | STREAMED, f'stream: {b(corpus("bitstream/tiny_body.vlmc")[:30])} chunk: {b(corpus("bitstream/tiny_body.vlmc")[30:])}'),
    "decode_empty": (DECODE, "format: OUTPUT_FORMAT_RAW_RGB8"),
    "task_cosine": (TASK, f"image {{ raw {{ width: 2 height: 2 data: {b(RGB_2X2)} }} }} task {{ min_token_cosine: 0.9 }} max_passes: 8"),
    "task_detection_default_passes": (TASK, f'image {{ encoded: {b(corpus("image/baseline.jpg"))} }} task {{ min_detection_agreement: 1 }}'),
    "task_one_pass": (TASK, f"image {{ raw {{ width: 2 height: 2 data: {b(RGB_2X2)} }} }} task {{ min_token_cosine: 0.5 }} max_passes: 1"),
    "task_fidelity_out_of_range": (TASK, "image { encoded: \"x\" } task { min_detection_agreement: 1.5 } max_passes: 33"),
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (selector, text) in SEEDS.items():
        message = subprocess.run(
            ["protoc", f"--proto_path={PROTO_ROOT}",
             f"--encode=vlmc.v1.{MESSAGES[selector & 3]}",
             "vlmc/v1/codec.proto"],
            input=text.encode(), capture_output=True, check=True).stdout
        (OUT / f"{name}.req").write_bytes(bytes([selector]) + message)


if __name__ == "__main__":
    main()
