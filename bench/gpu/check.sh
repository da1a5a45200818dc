#!/usr/bin/env bash
# The GPU check, in one go: on a machine with an NVIDIA GPU and a CUDA
# PyTorch (its LibTorch headers and CMake config) it
#   1. configures and builds a VLMC_WITH_CUDA tree against the wheel's
#      LibTorch (build-cuda/),
#   2. runs the codec tests that exercise the device (CUDA load, the device
#      hyper-synthesis, batched synthesis),
#   3. encodes on the GPU and decodes those streams on the CPU: the latents
#      must be equal, the pixels within the synthesis' rounding
#      (vlmc-device-bench's "latents =cpu" / "pixels -cpu" columns),
#   4. times 768x512 and 1920x1080 encode/decode and batched synthesis on the
#      device (float32 and float16 synthesis),
#   5. measures server decode throughput on the device (bench/load_test.sh),
# each step under its own time limit, and writes everything to one results
# file. A failed step is recorded and the next one still runs; the exit
# status is 1 if any step failed.
#
# --dry-run runs every step on the CPU here with small sizes against an
# existing CPU build (no configure, no CUDA), so that the script is tested
# (ctest gpu_check_dry_run) before a GPU is ever lent.
#
# Usage: bench/gpu/check.sh [--dry-run] [--build-dir DIR] [--out FILE]
#   --dry-run        CPU, small sizes, reuse --build-dir (default build)
#   --build-dir DIR  the tree to build or use (default build-cuda; with
#                    --dry-run, build)
#   --out FILE       results file (default bench/results/gpu_check.txt;
#                    with --dry-run, a temporary file printed at the end)
# Environment: VLMC_GPU_CHECK_STEP_SECONDS (per-step limit, default 240),
# VLMC_GPU_CHECK_BUILD_SECONDS (the build's, default 360), PYTHON (default
# python3, the interpreter whose torch is used). The whole run must fit the
# device tool's 10 minutes per command: give the build a warm tree if you can.
set -uo pipefail
cd "$(dirname "$0")/../.."

dry_run=0
build_dir=""
out=""
out_given=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry_run=1; shift ;;
    --build-dir) build_dir=$2; shift 2 ;;
    --out) out=$2; out_given=1; shift 2 ;;
    -h | --help) sed -n '2,32p' "$0"; exit 0 ;;
    *) echo "gpu/check: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
step_seconds=${VLMC_GPU_CHECK_STEP_SECONDS:-240}
python=${PYTHON:-python3}
if [ "$dry_run" = 1 ]; then
  build_dir=${build_dir:-build}
  device=cpu
  out=${out:-$(mktemp)}
else
  build_dir=${build_dir:-build-cuda}
  device=cuda
  out=${out:-bench/results/gpu_check.txt}
fi
mkdir -p "$(dirname "$out")"
: >"$out"
failed=0

# Appends a line to the results file and to stdout.
record() { echo "$*" | tee -a "$out"; }

# Runs "$@" under the step limit, its output into the results file.
step() {
  local name=$1
  shift
  record ""
  record "== $name: $*"
  local start=$SECONDS limit=${STEP_LIMIT:-$step_seconds}
  timeout "$limit" "$@" >>"$out" 2>&1
  local rc=$?
  if [ "$rc" = 0 ]; then
    record "-- $name: PASS ($((SECONDS - start)) s)"
  else
    record "-- $name: FAIL (exit $rc$([ "$rc" = 124 ] && echo ", over ${limit} s"), $((SECONDS - start)) s)"
    failed=1
  fi
}

record "vlmcodec GPU check, $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
record "mode: $([ "$dry_run" = 1 ] && echo "dry run on the CPU" || echo GPU), build: $build_dir, device: $device"
if [ "$dry_run" = 0 ]; then
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader >>"$out" 2>&1 ||
    record "nvidia-smi failed: no usable GPU?"
  prefix=$("$python" -c 'import torch; print(torch.utils.cmake_prefix_path)' 2>>"$out")
  record "torch: $("$python" -c 'import torch; print(torch.__version__, "cuda", torch.version.cuda)' 2>&1)"
  step configure cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DVLMC_WITH_CUDA=ON -DCMAKE_PREFIX_PATH="$prefix"
  STEP_LIMIT=${VLMC_GPU_CHECK_BUILD_SECONDS:-360} step build cmake --build "$build_dir" -j "$(nproc)" --target \
    vlmc vlmc-device-bench codec_test codec_batch_test vlmc-server vlmc-loadtest
fi

bench=$build_dir/bench/device/vlmc-device-bench
if [ "$dry_run" = 1 ]; then
  sizes=(--image-size 128x96 --large-size 192x128 --iterations 1 --warmup 0
         --batch-sizes 1,2 --large-batch-sizes 1 --substream-counts 2)
  load=(--crop 64 --requests 4 --concurrency 1,2 --max-seconds 10 --methods decode)
else
  sizes=(--image-size 768x512 --large-size 1920x1080 --iterations 20 --warmup 3
         --batch-sizes 1,8,32 --large-batch-sizes 1,4,8 --substream-counts 1,5,16)
  load=(--requests 400 --concurrency 1,8,64 --max-seconds 30 --methods decode)
fi

step codec-tests "$build_dir/models/codec/codec_test" \
  --gtest_filter='*Device*:*TensorHyperSynthesis*:*Cuda*'
step batch-tests "$build_dir/models/codec/codec_batch_test"
# Streams encoded on the device, decoded on the CPU: latents equal (yes),
# pixels within the synthesis' rounding ("pixels -cpu" column).
step device-bench-float32 "$bench" --device "$device" --synthesis float32 \
  --threads 2 "${sizes[@]}" --csv "${out%.txt}_float32.csv"
if [ "$dry_run" = 0 ]; then
  step device-bench-float16 "$bench" --device "$device" --synthesis float16 \
    "${sizes[@]}" --csv "${out%.txt}_float16.csv"
fi
# Every row of the device bench's CSV must say latents_equal_cpu = 1.
for csv in "${out%.txt}"_float*.csv; do
  [ -f "$csv" ] || continue
  if awk -F, 'NR == 1 { for (i = 1; i <= NF; ++i) if ($i == "latents_equal_cpu") col = i; next }
              !col || $col != 1 { bad = 1 } END { exit bad || NR < 2 }' "$csv"; then
    record "-- latents ($(basename "$csv")): PASS, every device stream decodes to the same latents on the CPU"
  else
    record "-- latents ($(basename "$csv")): FAIL, a device stream decoded to other latents on the CPU (or no rows)"
    failed=1
  fi
done
step server-throughput env VLMC_SKIP_BUILD=1 VLMC_BUILD_DIR="$build_dir" \
  VLMC_LOAD_CSV="${out%.txt}_load.csv" \
  VLMC_SERVER_FLAGS="--device $device --queue-capacity 64 --max-batch 8" \
  bash bench/load_test.sh "${load[@]}" --model none

record ""
record "result: $([ "$failed" = 0 ] && echo PASS || echo FAIL), written to $out"
if [ "$dry_run" = 1 ] && [ -z "$out_given" ]; then
  echo "---- the whole results file ----"
  cat "$out"
  rm -f "$out" "${out%.txt}"_*.csv
fi
exit "$failed"
