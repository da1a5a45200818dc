#!/usr/bin/env bash
# Whole-process encode and decode time of a vlmc model against AVIF
# (`avifenc -s 6 -j 2` / `avifdec -j 2`), both measured in this run on the
# same image: medians of R runs each, and their ratios. Start-up counts: a
# command-line encode or decode is a whole process.
#
# Usage: bench/speed_vs_avif.sh [--model FILE] [--quality Q] [--avif-q N]
#                               [--repeats R] [IMAGE]
#   --model FILE  vlmc model (default: the CLI's default model)
#   --quality Q   vlmc quality (default 0.5)
#   --avif-q N    avifenc --min N --max N (default 38: about 0.45 bpp on Kodak)
#   --repeats R   runs per measurement (default 5)
#   IMAGE         PNG (default tests/data/kodim20.png, 768x512)
# Environment: VLMC_BUILD_DIR (default build).
set -euo pipefail
cd "$(dirname "$0")/.."
model_flags=()
quality=0.5
avif_q=38
repeats=5
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model_flags=(--model "$2"); shift 2 ;;
    --quality) quality=$2; shift 2 ;;
    --avif-q) avif_q=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    -h | --help) sed -n '2,15p' "$0"; exit 0 ;;
    -*) echo "speed_vs_avif: unknown flag $1 (see --help)" >&2; exit 2 ;;
    *) break ;;
  esac
done
image=${1:-tests/data/kodim20.png}
vlmc=${VLMC_BUILD_DIR:-build}/client/vlmc
for tool in avifenc avifdec "$vlmc"; do
  command -v "$tool" >/dev/null || { echo "speed_vs_avif: $tool not found" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Median wall time in ms of R runs of the command.
median_ms() {
  local times=()
  for _ in $(seq "$repeats"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    times+=($(((end - start) / 1000000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

avif_enc=$(median_ms avifenc -s 6 -j 2 --min "$avif_q" --max "$avif_q" "$image" "$work/a.avif")
avif_dec=$(median_ms avifdec -j 2 "$work/a.avif" "$work/a_avif.png")
vlmc_enc=$(median_ms "$vlmc" encode "$image" -q "$quality" --threads 2 "${model_flags[@]}" -o "$work/a.vlmc")
vlmc_dec=$(median_ms "$vlmc" decode "$work/a.vlmc" --threads 2 "${model_flags[@]}" -o "$work/a_vlmc.png")
avif_bytes=$(stat -c %s "$work/a.avif")
vlmc_bytes=$(stat -c %s "$work/a.vlmc")
echo "image $image, $repeats runs each, median wall time of the whole process (ms)"
printf '%-28s %8s %8s %8s\n' codec bytes encode decode
printf '%-28s %8s %8s %8s\n' "avif -s 6 -j 2 (q $avif_q)" "$avif_bytes" "$avif_enc" "$avif_dec"
printf '%-28s %8s %8s %8s\n' "vlmc --threads 2 (q $quality)" "$vlmc_bytes" "$vlmc_enc" "$vlmc_dec"
awk -v e="$vlmc_enc" -v d="$vlmc_dec" -v ae="$avif_enc" -v ad="$avif_dec" \
  'BEGIN { printf "ratio vlmc/avif: encode %.2fx, decode %.2fx\n", e / ae, d / ad }'
