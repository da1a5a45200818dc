#!/usr/bin/env bash
# Rate-PSNR of the shipped model on the 24 Kodak images and its BD-rate
# against the traditional codecs (their curves:
# bench/results/kodak_{jpeg,webp,avif,jxl,hevc}_summary.csv, made by
# vlmc-baseline-rd; pass --baselines to regenerate them too, which also prints
# the BD-rate of AVIF, JPEG XL and HEVC against JPEG and WebP).
# --downscale MODE (1, 2, 4 or auto; default 1) passes to `vlmc eval` and
# writes kodak_vlmc_down${MODE}{,_summary}.csv instead of kodak_vlmc*.csv
# (auto takes about 3 times as long: it codes every image three ways).
# --model FILE codes with that model file instead of the default model and
# writes kodak_vlmc_<model id>_v<version>{,_summary}.csv (the id and version
# taken from the file's directory models/zoo/<id>/<version>/ when it is
# there, else the file name).
# Usage: bench/kodak_rd.sh [--baselines] [--downscale MODE] [--model FILE] [KODAK_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
baselines=0
downscale=1
model_flags=()
tag=""
while [ $# -gt 0 ]; do
  case "$1" in
    --baselines) baselines=1; shift ;;
    --downscale) downscale=$2; shift 2 ;;
    --model)
      model_flags=(--model "$2")
      dir=$(dirname "$2")
      if [[ $dir == *models/zoo/*/* ]]; then
        tag=_$(basename "$(dirname "$dir")")_v$(basename "$dir")
      else
        tag=_$(basename "$2" .safetensors)
      fi
      shift 2 ;;
    *) break ;;
  esac
done
name=kodak_vlmc$tag
if [ "$downscale" != 1 ]; then name=kodak_vlmc${tag}_down$downscale; fi
kodak=${1:-../shared/data/kodak}
build=${VLMC_BUILD_DIR:-build}
results=bench/results
qualities=${VLMC_QUALITIES:-0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1}
codecs="jpeg webp avif jxl hevc"
bash scripts/build.sh vlmc vlmc-baseline-rd vlmc-bdrate
mkdir -p "$results"
if [ "$baselines" = 1 ]; then
  for codec in $codecs; do
    "$build/bench/vlmc-baseline-rd" --images "$kodak" --codec "$codec" \
      --csv "$results/kodak_$codec.csv" --summary-csv "$results/kodak_${codec}_summary.csv"
  done
  for codec in avif jxl hevc; do
    for reference in jpeg webp; do
      echo "BD-rate (PSNR) of $codec vs $reference:"
      "$build/bench/vlmc-bdrate" --reference "$results/kodak_${reference}_summary.csv" \
        --test "$results/kodak_${codec}_summary.csv" --metric psnr
    done
  done
fi
"$build/client/vlmc" eval --images "$kodak" --qualities "$qualities" --threads 2 \
  --downscale "$downscale" "${model_flags[@]}" \
  --csv "$results/$name.csv" --summary-csv "$results/${name}_summary.csv"
for codec in $codecs; do
  echo "BD-rate (PSNR) of vlmc vs $codec:"
  "$build/bench/vlmc-bdrate" --reference "$results/kodak_${codec}_summary.csv" \
    --test "$results/${name}_summary.csv" --metric psnr
done
