#!/usr/bin/env bash
# Whole-process encode and decode time of a vlmc model against AVIF
# (`avifenc -s 6 -j 2` / `avifdec -j 2`), all measured in this run on the same
# images: medians of R runs each and their ratios, the peak memory (max RSS)
# of one decode, and where a vlmc decode's time goes (process start-up, model
# load, the decode itself). A command-line encode or decode is a whole
# process, so start-up counts.
#
# Usage: bench/speed_vs_avif.sh [--model FILE] [--quality Q] [--avif-q N]
#                               [--repeats R] [--synthesis LIST]
#                               [--png-level L] [IMAGE...]
#   --model FILE      vlmc model (default: the CLI's default model)
#   --quality Q       vlmc quality (default 0.5)
#   --avif-q N        avifenc --min N --max N (default 38: about 0.45 bpp on
#                     Kodak)
#   --repeats R       runs per measurement (default 5)
#   --synthesis LIST  comma-separated `vlmc decode --synthesis` values timed
#                     (default float32,float64: the default and the exact one)
#   --png-level L     zlib level of both decoders' PNG output (`vlmc decode
#                     --png-level`, `avifdec --png-compress`; default 1, vlmc's
#                     default), so that both do the same PNG work
#   IMAGE...          PNGs (default: tests/data/kodim20.png, 768x512, and the
#                     same image scaled to 1920x1080 by ffmpeg's Lanczos filter)
# Environment: VLMC_BUILD_DIR (default build). Threads: 2 everywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
model_flags=()
quality=0.5
avif_q=38
repeats=5
synthesis_list=float32,float64
png_level=1
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model_flags=(--model "$2"); shift 2 ;;
    --quality) quality=$2; shift 2 ;;
    --avif-q) avif_q=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    --synthesis) synthesis_list=$2; shift 2 ;;
    --png-level) png_level=$2; shift 2 ;;
    -h | --help) sed -n '2,23p' "$0"; exit 0 ;;
    -*) echo "speed_vs_avif: unknown flag $1 (see --help)" >&2; exit 2 ;;
    *) break ;;
  esac
done
vlmc=${VLMC_BUILD_DIR:-build}/client/vlmc
for tool in avifenc avifdec ffmpeg "$vlmc"; do
  command -v "$tool" >/dev/null || { echo "speed_vs_avif: $tool not found" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "speed_vs_avif: /usr/bin/time (Debian package time) not found" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

images=("$@")
if [ ${#images[@]} -eq 0 ]; then
  ffmpeg -loglevel error -i tests/data/kodim20.png \
    -vf scale=1920:1080:flags=lanczos "$work/kodim20_1920x1080.png"
  images=(tests/data/kodim20.png "$work/kodim20_1920x1080.png")
fi

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

# Peak resident memory in MB of one run of the command.
peak_mb() {
  /usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>&1
  awk '{printf "%.0f", $1 / 1024}' "$work/rss"
}

# The median of the decode's own "N ms" report (model loaded, file read):
# what a long-lived process such as the server would spend per image.
median_in_process_ms() {
  for _ in $(seq "$repeats"); do
    "$@" 2>&1 | grep -Eo '[0-9.]+ ms' | tail -n 1 | cut -d' ' -f1
  done | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }

startup=$(median_ms "$vlmc" --help)
echo "vlmc ${model_flags[*]:-(default model)}, q $quality; avif q $avif_q; $repeats runs each, medians (ms) of whole processes, 2 threads; both decoders write PNG at zlib level $png_level"
echo "start-up floor (vlmc --help, loads LibTorch): $startup ms"
for image in "${images[@]}"; do
  dims=$(ffprobe -v error -select_streams v:0 -show_entries stream=width,height \
    -of csv=s=x:p=0 "$image")
  avifenc -s 6 -j 2 --min "$avif_q" --max "$avif_q" "$image" "$work/a.avif" >/dev/null 2>&1
  "$vlmc" encode "$image" -q "$quality" --threads 2 "${model_flags[@]}" -o "$work/a.vlmc" >/dev/null
  avif_enc=$(median_ms avifenc -s 6 -j 2 --min "$avif_q" --max "$avif_q" "$image" "$work/a.avif")
  avif_decode=(avifdec -j 2 --png-compress "$png_level" "$work/a.avif" "$work/a_avif.png")
  avif_dec=$(median_ms "${avif_decode[@]}")
  avif_peak=$(peak_mb "${avif_decode[@]}")
  vlmc_enc=$(median_ms "$vlmc" encode "$image" -q "$quality" --threads 2 "${model_flags[@]}" -o "$work/a.vlmc")
  echo
  echo "image $image ($dims): avif $(stat -c %s "$work/a.avif") bytes, vlmc $(stat -c %s "$work/a.vlmc") bytes"
  printf '  %-34s %8s %8s %8s %s\n' "" "whole" "in-proc" "peak MB" "ratio to avif"
  printf '  %-34s %8s %8s %8s\n' "avifenc -s 6 -j 2" "$avif_enc" "" ""
  printf '  %-34s %8s %8s %8s %s\n' "vlmc encode" "$vlmc_enc" "" "" "$(ratio "$vlmc_enc" "$avif_enc")"
  printf '  %-34s %8s %8s %8s\n' "avifdec -j 2 --png-compress $png_level" "$avif_dec" "" "$avif_peak"
  for synthesis in ${synthesis_list//,/ }; do
    decode=("$vlmc" decode "$work/a.vlmc" --threads 2 --synthesis "$synthesis" --png-level "$png_level" "${model_flags[@]}" -o "$work/a_vlmc.png")
    whole=$(median_ms "${decode[@]}")
    in_process=$(median_in_process_ms "${decode[@]}")
    peak=$(peak_mb "${decode[@]}")
    printf '  %-34s %8s %8s %8s %s\n' "vlmc decode --synthesis $synthesis" "$whole" "$in_process" "$peak" "$(ratio "$whole" "$avif_dec")"
  done
done
echo
echo "whole: the process, start-up and model load included; in-proc: the decode the CLI reports (entropy + synthesis), as a server spends it per image"
