#!/usr/bin/env bash
# Sets up the machine, builds everything and runs the whole test suite; then
# builds the LibTorch-free parts (entropy coder, bitstream, image parsers,
# metrics, bench maths) again with AddressSanitizer + UndefinedBehaviorSanitizer
# and runs their tests (any report fails the run).
# Environment: VLMC_BUILD_DIR (build), VLMC_ASAN_BUILD_DIR (build-asan),
# VLMC_SKIP_SANITIZERS=1 skips the second build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
start=$(date +%s)
bash scripts/build.sh
echo "test: build took $(( $(date +%s) - start )) s"
ctest --test-dir "${VLMC_BUILD_DIR:-build}" --output-on-failure -j "$(nproc)"

if [ "${VLMC_SKIP_SANITIZERS:-0}" = 1 ]; then exit 0; fi
asan_dir=${VLMC_ASAN_BUILD_DIR:-build-asan}
start=$(date +%s)
if [ ! -f "$asan_dir/build.ninja" ]; then
  cmake -S . -B "$asan_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DVLMC_WITH_TORCH=OFF -DVLMC_SANITIZE=ON
fi
ninja -C "$asan_dir" -j "${VLMC_JOBS:-$(nproc)}"
echo "test: sanitizer build took $(( $(date +%s) - start )) s"
# The deploy checks do not run compiled code: the first pass covered them.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir "$asan_dir" --output-on-failure -j "$(nproc)" -LE deploy
