#!/usr/bin/env bash
# Compares two models of one family on the rate-distortion validation split
# (models/train/rd_validation_train2.txt: full-size train2 images that are
# neither trained on nor reported): `vlmc eval` of both at 11 qualities, then
# the PSNR BD-rate of NEW against OLD (negative: NEW needs fewer bits). Unlike
# the trainer's validation score, it does not depend on the lambda ladder, so
# it decides whether a model trained on another ladder may replace the last.
# Usage: bench/validation_bdrate.sh OLD_MODEL NEW_MODEL [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 2 ]; then
  echo "usage: bench/validation_bdrate.sh OLD_MODEL NEW_MODEL [OUT_DIR]" >&2
  exit 2
fi
old=$1
new=$2
out=${3:-$(mktemp -d)}
build=${VLMC_BUILD_DIR:-build}
qualities=${VLMC_QUALITIES:-0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1}
images=$out/images
mkdir -p "$images"
grep -v '^#' models/train/rd_validation_train2.txt | while read -r path; do
  [ -n "$path" ] && ln -sf "$(realpath "$path")" "$images/$(basename "$path")"
done
for side in old new; do
  model=$old
  [ "$side" = new ] && model=$new
  echo "eval $side: $model" >&2
  "$build/client/vlmc" eval --images "$images" --qualities "$qualities" \
    --threads 2 --model "$model" --csv "$out/$side.csv" \
    --summary-csv "$out/${side}_summary.csv"
done
echo "BD-rate (PSNR) of $new vs $old on the validation split:"
"$build/bench/vlmc-bdrate" --reference "$out/old_summary.csv" \
  --test "$out/new_summary.csv" --metric psnr
echo "curves: $out/old_summary.csv $out/new_summary.csv"
