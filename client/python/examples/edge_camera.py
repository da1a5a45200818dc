#!/usr/bin/env python3
"""Edge camera: encodes every PNG/JPEG image of a folder on a VlmCodec server
at one rate target, writes the .vlmc streams to an output folder and prints
what each stream reached (bytes, bpp, target_met, passes, quality).

  edge_camera.py frames/ -o streams/ --bpp 0.1
  edge_camera.py frames/ -o streams/ --max-bytes 5000
  edge_camera.py frames/ -o streams/ --task detect --fidelity 0.9

Stops at the first error with one line on stderr and exit status 1; a target
no stream can meet is such an error unless --accept-miss.
"""
import argparse
import sys
from pathlib import Path

# Run from a checkout: the vlmcodec package sits next to this folder.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from vlmcodec import VlmcClient, VlmcError  # noqa: E402
from vlmcodec.flags import add_connection_flags, connection_options  # noqa: E402

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg"}


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("images", metavar="IMAGES_DIR", type=Path,
                        help="folder of images (.png, .jpg, .jpeg), encoded in "
                             "name order")
    parser.add_argument("-o", "--out", metavar="DIR", type=Path, required=True,
                        help="folder the NAME.vlmc streams are written to "
                             "(created if missing)")
    parser.add_argument("--server", metavar="HOST:PORT", default="127.0.0.1:50051",
                        help="VlmCodec server HOST:PORT (default: %(default)s)")
    parser.add_argument("--deadline-ms", metavar="MS", type=int, default=60000,
                        help="milliseconds one image's call may take "
                             "(default: %(default)s)")
    rate = parser.add_argument_group("rate target (exactly one of --quality, "
                                     "--bpp, --max-bytes, --task)")
    target = rate.add_mutually_exclusive_group(required=True)
    target.add_argument("--quality", metavar="Q", type=float,
                        help="quality in [0, 1]: 0 fewest bits, 1 best fidelity")
    target.add_argument("--bpp", metavar="X", type=float,
                        help="at most this many bits per pixel (the largest "
                             "quality that fits)")
    target.add_argument("--max-bytes", metavar="N", type=int,
                        help="at most this many bytes per stream")
    target.add_argument("--task", choices=["detect", "tokens"],
                        help="the smallest stream whose reconstruction keeps "
                             "--fidelity of this task: detect (detection "
                             "agreement) or tokens (semantic token cosine)")
    rate.add_argument("--fidelity", metavar="F", type=float,
                      help="with --task: the fidelity to keep, in (0, 1] "
                           "(default: 0.9)")
    rate.add_argument("--max-passes", metavar="N", type=int,
                      help="with --task: most encode+decode+measure passes "
                           "(default: 0, the server's 8)")
    rate.add_argument("--resolution", choices=["full", "half", "quarter", "auto"],
                      help="coded resolution, not with --task (default: auto "
                           "for --bpp and --max-bytes, which codes smaller only "
                           "when quality 0 does not fit at full size; full for "
                           "--quality)")
    rate.add_argument("--accept-miss", action="store_true",
                      help="when no stream meets the target, write the closest "
                           "one and go on instead of stopping with an error")
    parser.add_argument("--model-id", metavar="ID", default="",
                        help="model id (default: the server's default model)")
    parser.add_argument("--model-version", metavar="N", type=int, default=0,
                        help="model version (default: 0, the newest)")
    add_connection_flags(parser)
    args = parser.parse_args()
    if args.task and args.resolution:
        parser.error("--resolution does not apply to --task")
    if not args.task and (args.fidelity is not None or args.max_passes is not None):
        parser.error("--fidelity and --max-passes go with --task")
    if args.deadline_ms <= 0:
        parser.error("--deadline-ms must be positive")
    return args


def encode(client, image, args):
    """EncodeResult (TaskEncodeResult with --task) of one image."""
    common = dict(model_id=args.model_id, model_version=args.model_version,
                  require_target=not args.accept_miss)
    if args.task:
        fidelity = 0.9 if args.fidelity is None else args.fidelity
        return client.encode_for_task(image, args.task, fidelity,
                                      max_passes=args.max_passes or 0, **common)
    return client.encode(image, quality=args.quality, target_bpp=args.bpp,
                         max_bytes=args.max_bytes, resolution=args.resolution,
                         **common)


def report(name, result, out_path):
    line = (f"{name}: {result.stream_bytes} bytes, {result.bpp:.4f} bpp, "
            f"target_met {'yes' if result.target_met else 'no'}, "
            f"passes {result.passes}, quality {result.quality:.3f}, "
            f"1/{result.downscale} resolution")
    if hasattr(result, "achieved_fidelity"):
        line += f", fidelity {result.achieved_fidelity:.3f}"
    print(f"{line} -> {out_path}", flush=True)


def main():
    args = parse_args()
    if not args.images.is_dir():
        raise VlmcError(f"'{args.images}' is not a folder")
    images = sorted(p for p in args.images.iterdir()
                    if p.suffix.lower() in IMAGE_SUFFIXES)
    if not images:
        raise VlmcError(f"no .png, .jpg or .jpeg images in '{args.images}'")
    args.out.mkdir(parents=True, exist_ok=True)
    total_bytes = 0
    with VlmcClient(args.server, **connection_options(
            args, timeout=args.deadline_ms / 1000)) as client:
        for image in images:
            try:
                result = encode(client, image, args)
            except VlmcError as e:
                raise VlmcError(f"{image.name}: {e}", e.code) from None
            out_path = args.out / f"{image.stem}.vlmc"
            out_path.write_bytes(result.stream)
            report(image.name, result, out_path)
            total_bytes += result.stream_bytes
    count = f"{len(images)} image{'s' if len(images) > 1 else ''}"
    print(f"{count}, {total_bytes} bytes in '{args.out}'")


if __name__ == "__main__":
    try:
        main()
    except (VlmcError, OSError) as e:
        sys.exit(f"edge_camera: {e}")
