#!/usr/bin/env bash
# Rate-accuracy of vlmc and the baseline codecs (JPEG, WebP, AVIF, JPEG XL,
# HEVC) on held-out COCO images (models/train/coco_eval_holdout.txt, never
# trained on): builds vlmc-bench, runs it (per_image.csv, summary.csv,
# uncompressed.csv, results.md) and draws the plots with gnuplot, all into
# bench/results/rate_accuracy/, then copies results.md's tables into
# README.md's "Results" section. Needs scripts/setup.sh (packages and
# detector models) to have run.
#
# Usage: bench/rate_accuracy.sh [--full | --limit N] [--no-build] [-- FLAGS]
#   (default)   the first 24 held-out images, 6 points per codec: 864 codings,
#               18 CPU-minutes; 25 minutes measured on 2 cores shared with a
#               training job and compiles (about 10 on 2 idle cores)
#   --full      all 64 held-out images (about 2.7 times as long)
#   --limit N   the first N held-out images
#   --no-build  use the vlmc-bench already in the build folder
#   -- FLAGS    passed on to vlmc-bench (e.g. --codecs vlmc,jpeg)
# Environment: VLMC_BUILD_DIR (build), VLMC_JOBS (images in parallel,
# default: the CPU count; each runs LibTorch on one thread).
set -euo pipefail
cd "$(dirname "$0")/.."
limit=24
build=1
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --full) limit=0 ;;
    --limit)
      [ $# -ge 2 ] || { echo "rate_accuracy.sh: --limit needs a count" >&2; exit 2; }
      limit=$2
      shift
      ;;
    --no-build) build=0 ;;
    --)
      shift
      extra=("$@")
      break
      ;;
    -h | --help)
      sed -n '2,19s/^# \{0,1\}//p' "$0"
      exit 0
      ;;
    *)
      echo "rate_accuracy.sh: unknown argument $1 (see --help)" >&2
      exit 2
      ;;
  esac
  shift
done
build_dir=${VLMC_BUILD_DIR:-build}
jobs=${VLMC_JOBS:-$(nproc)}
out=bench/results/rate_accuracy
if ! command -v gnuplot >/dev/null; then
  echo "rate_accuracy.sh: gnuplot not found; run scripts/setup.sh (Debian package gnuplot-nox)" >&2
  exit 1
fi
if [ "$build" = 1 ]; then bash scripts/build.sh vlmc-bench; fi

start=$(date +%s)
# One LibTorch thread per job: with several threads each layer waits at an
# OpenMP barrier, which costs a scheduler time slice per layer whenever
# another process holds a core.
"$build_dir/bench/rate_accuracy/vlmc-bench" --limit "$limit" --jobs "$jobs" \
  --threads 1 --out "$out" ${extra[@]+"${extra[@]}"}

codecs=$(grep -v '^#' "$out/summary.csv" | tail -n +2 | cut -d, -f1 | awk '!seen[$0]++' | tr '\n' ' ')
reference() { awk -F, -v d="$1" '$1 == d { print $2 }' "$out/uncompressed.csv"; }
gnuplot -e "dir='$out'; codecs='$codecs'; centernet_ref=$(reference centernet); nanodet_ref=$(reference nanodet)" \
  bench/rate_accuracy/plot.gp
python3 bench/rate_accuracy/update_readme.py "$out/results.md" README.md
echo "rate_accuracy.sh: $out/{results.md,summary.csv,per_image.csv,*.png} and README.md's tables in $(($(date +%s) - start)) s"
