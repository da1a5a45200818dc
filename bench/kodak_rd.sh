#!/usr/bin/env bash
# Rate-PSNR of the shipped model on the 24 Kodak images and its BD-rate
# against the traditional codecs (their curves:
# bench/results/kodak_{jpeg,webp,avif,jxl,hevc}_summary.csv, made by
# vlmc-baseline-rd; pass --baselines to regenerate them too, which also prints
# the BD-rate of AVIF, JPEG XL and HEVC against JPEG and WebP).
# Usage: bench/kodak_rd.sh [--baselines] [KODAK_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
baselines=0
if [ "${1:-}" = "--baselines" ]; then baselines=1; shift; fi
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
  --csv "$results/kodak_vlmc.csv" --summary-csv "$results/kodak_vlmc_summary.csv"
for codec in $codecs; do
  echo "BD-rate (PSNR) of vlmc vs $codec:"
  "$build/bench/vlmc-bdrate" --reference "$results/kodak_${codec}_summary.csv" \
    --test "$results/kodak_vlmc_summary.csv" --metric psnr
done
