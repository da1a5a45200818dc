#!/usr/bin/env bash
# Configures and builds vlmcodec into ./build (or $VLMC_BUILD_DIR).
# Usage: scripts/build.sh [ninja targets...]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${VLMC_BUILD_DIR:-build}
jobs=${VLMC_JOBS:-$(nproc)}
if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
ninja -C "$build_dir" -j "$jobs" "$@"
