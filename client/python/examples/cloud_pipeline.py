#!/usr/bin/env python3
"""Cloud pipeline: decodes every .vlmc stream of a folder on a VlmCodec
server and forwards the decoded image to an LvlmService (a model server such
as vlmc-lvlm-ref), printing what the model answered and where time went.

  cloud_pipeline.py streams/ --server 127.0.0.1:50051 --lvlm 127.0.0.1:50061
  cloud_pipeline.py streams/ --task detect --option min_score=0.5 --json
  cloud_pipeline.py streams/ --save-png decoded/

Stops at the first error with one line on stderr and exit status 1.
"""
import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

# Run from a checkout: the vlmcodec package sits next to this folder.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from vlmcodec import LvlmClient, VlmcClient, VlmcError  # noqa: E402
from vlmcodec.flags import add_connection_flags, connection_options  # noqa: E402


def key_value(text):
    key, sep, value = text.partition("=")
    if not key or not sep:
        raise argparse.ArgumentTypeError(f"'{text}' is not KEY=VALUE")
    return key, value


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("streams", metavar="STREAMS_DIR", type=Path,
                        help="folder of .vlmc streams, forwarded in name order")
    parser.add_argument("--server", metavar="HOST:PORT", default="127.0.0.1:50051",
                        help="VlmCodec server that decodes, HOST:PORT "
                             "(default: %(default)s)")
    parser.add_argument("--lvlm", metavar="HOST:PORT", default="127.0.0.1:50061",
                        help="LvlmService that answers, HOST:PORT "
                             "(default: %(default)s, where vlmc-lvlm-ref "
                             "listens by default)")
    parser.add_argument("--task", metavar="TASK", default="detect",
                        help="what the model should do (default: %(default)s; "
                             "vlmc-lvlm-ref answers detect only)")
    parser.add_argument("--prompt", metavar="TEXT", default="",
                        help="instruction or question for prompt-driven models")
    parser.add_argument("--option", metavar="KEY=VALUE", type=key_value,
                        action="append", default=[],
                        help="task option, repeatable (detect: min_score, "
                             "detector=centernet|nanodet)")
    parser.add_argument("--save-png", metavar="DIR", type=Path,
                        help="also write each decoded image to DIR/NAME.png "
                             "(one more Decode call per stream)")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object per stream instead of text")
    parser.add_argument("--deadline-ms", metavar="MS", type=int, default=60000,
                        help="milliseconds one stream's decode and answer may "
                             "take together (default: %(default)s)")
    add_connection_flags(parser)
    add_connection_flags(parser, prefix="lvlm-", what="the LvlmService (--lvlm)")
    args = parser.parse_args()
    if args.deadline_ms <= 0:
        parser.error("--deadline-ms must be positive")
    return args


def print_text(name, result):
    answer = result.answer
    print(f"{name}: {answer.text} ({answer.model})")
    for box in answer.boxes:
        print(f"  {box.label:<14} {box.score:.3f}  [{box.x0:.1f}, {box.y0:.1f}, "
              f"{box.x1:.1f}, {box.y1:.1f}]")
    print(f"  {result.width}x{result.height} image; decode "
          f"{result.decode_ms:.1f} ms (server {result.server_decode_ms:.1f}), "
          f"infer {result.infer_ms:.1f} ms (server {answer.infer_ms:.1f}), "
          f"total {result.total_ms:.1f} ms", flush=True)


def print_json(name, result):
    print(json.dumps({"stream": name, **asdict(result)}), flush=True)


def main():
    args = parse_args()
    if not args.streams.is_dir():
        raise VlmcError(f"'{args.streams}' is not a folder")
    streams = sorted(args.streams.glob("*.vlmc"))
    if not streams:
        raise VlmcError(f"no .vlmc streams in '{args.streams}'")
    if args.save_png:
        args.save_png.mkdir(parents=True, exist_ok=True)
    timeout = args.deadline_ms / 1000
    codec = VlmcClient(args.server, **connection_options(args, timeout=timeout))
    lvlm = LvlmClient(args.lvlm, **connection_options(args, prefix="lvlm-",
                                                      timeout=timeout))
    with codec, lvlm:
        for path in streams:
            try:
                stream = path.read_bytes()
                result = codec.forward(stream, lvlm, task=args.task,
                                       prompt=args.prompt,
                                       options=dict(args.option))
                if args.save_png:
                    (args.save_png / f"{path.stem}.png").write_bytes(
                        codec.decode_png(stream))
            except VlmcError as e:
                raise VlmcError(f"{path.name}: {e}", e.code) from None
            (print_json if args.json else print_text)(path.name, result)


if __name__ == "__main__":
    try:
        main()
    except (VlmcError, OSError) as e:
        sys.exit(f"cloud_pipeline: {e}")
