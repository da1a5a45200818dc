#!/usr/bin/env bash
# Sets up the machine, builds the `vlmc` CLI and round-trips a sample image
# through the shipped default model, printing what happened at each step, and
# what the COCO detector (the stand-in for the receiving model) sees in the
# original and in the decoded images.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh vlmc
vlmc=${VLMC_BUILD_DIR:-build}/client/vlmc
sample=tests/data/kodim20.png
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo
echo "== encode $sample at three qualities with the default model"
for q in 0.1 0.5 0.9; do
  "$vlmc" encode "$sample" -q "$q" -o "$out/sample_q$q.vlmc"
done
echo
echo "== stream header (quality 0.5)"
"$vlmc" info "$out/sample_q0.5.vlmc"
echo
echo "== decode"
for q in 0.1 0.5 0.9; do
  "$vlmc" decode "$out/sample_q$q.vlmc" -o "$out/sample_q$q.png"
done
echo
echo "== rate and PSNR over the sample"
"$vlmc" eval --images tests/data --qualities 0.1,0.5,0.9
echo
echo "== CenterNet detections (class, score, box) on the original and the decodes"
for img in "$sample" "$out/sample_q0.1.png" "$out/sample_q0.9.png"; do
  echo "-- $(basename "$img")"
  "$vlmc" detect "$img"
done
echo
echo "quickstart: done (streams and PNGs were written to a temporary folder)"
