#!/usr/bin/env bash
# Soak test of vlmc-server on loopback (issue 9): builds vlmc-server and
# vlmc-soak, then runs vlmc-soak, which starts the server on 127.0.0.1:0,
# loads it for --duration seconds (default 300) with valid and faulty calls,
# and checks answers, status codes, RSS and open fds. Writes
# bench/results/soak.txt and bench/results/soak_samples.csv.
# Usage: bench/soak.sh [vlmc-soak flags...]  (e.g. --duration 600)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${VLMC_BUILD_DIR:-build}
bash scripts/build.sh vlmc-server vlmc-soak
mkdir -p bench/results
exec nice -n 10 "$build/bench/soak/vlmc-soak" --out bench/results/soak "$@"
