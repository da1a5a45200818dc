#!/usr/bin/env bash
# Decode throughput with dynamic batching off and on (issue 10): runs
# bench/load_test.sh twice with the same vlmc-loadtest flags, Decode only,
# first with --max-batch 1 (no batching), then with $VLMC_BATCH_ON_FLAGS
# (default --max-batch 8 --batch-window-us 2000), and prints images/s and
# p50/p99 latency per concurrency level side by side, plus the latency cost
# of the window: the p50 at concurrency 1 with batching minus without.
# Usage: bench/load_batching.sh [vlmc-loadtest flags...]
#   (e.g. --crop 256 --requests 60 --max-seconds 20)
#   env VLMC_SERVER_FLAGS: extra vlmc-server flags for both runs
#   env VLMC_BATCH_ON_FLAGS: the batching flags of the second run
#   env VLMC_SKIP_BUILD=1: use the binaries already in the build directory
# Writes bench/results/load_batching_{off,on}.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
results=bench/results
on_flags=${VLMC_BATCH_ON_FLAGS:---max-batch 8 --batch-window-us 2000}
[ "${VLMC_SKIP_BUILD:-0}" = 1 ] || bash scripts/build.sh vlmc-server vlmc-loadtest

for mode in off on; do
  if [ "$mode" = off ]; then flags="--max-batch 1"; else flags=$on_flags; fi
  echo "== batching $mode: vlmc-server ${VLMC_SERVER_FLAGS:-} $flags"
  VLMC_SKIP_BUILD=1 VLMC_LOAD_CSV="$results/load_batching_$mode.csv" \
    VLMC_SERVER_FLAGS="${VLMC_SERVER_FLAGS:-} $flags" \
    bash bench/load_test.sh --methods decode "$@"
done

echo "== decode, batching off vs on ($on_flags)"
# CSV columns: method,concurrency,requests,ok,throughput_rps,p50_ms,p99_ms,...
awk -F, '
  FNR == 1 { next }
  FILENAME ~ /_off\.csv$/ { off_rps[$2] = $5; off_p50[$2] = $6; off_p99[$2] = $7; off_err[$2] = $9; next }
  {
    levels[++n] = $2; on_rps[$2] = $5; on_p50[$2] = $6; on_p99[$2] = $7; on_err[$2] = $9
  }
  END {
    printf "%5s %11s %11s %7s %10s %10s %10s %10s  %s\n", "conc", "off img/s",
           "on img/s", "on/off", "off p50", "on p50", "off p99", "on p99", "errors off | on"
    for (i = 1; i <= n; ++i) {
      c = levels[i]
      printf "%5d %11.2f %11.2f %7.2f %10.1f %10.1f %10.1f %10.1f  %s | %s\n", c,
             off_rps[c], on_rps[c], (off_rps[c] > 0 ? on_rps[c] / off_rps[c] : 0),
             off_p50[c], on_p50[c], off_p99[c], on_p99[c],
             off_err[c] == "" ? "-" : off_err[c], on_err[c] == "" ? "-" : on_err[c]
    }
    if ((1 in off_p50) && (1 in on_p50)) {
      printf "latency cost of batching at concurrency 1 (p50 on - off): %+.1f ms (%+.1f %%)\n",
             on_p50[1] - off_p50[1], 100 * (on_p50[1] - off_p50[1]) / off_p50[1]
    }
  }' "$results/load_batching_off.csv" "$results/load_batching_on.csv"
