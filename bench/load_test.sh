#!/usr/bin/env bash
# Load test of vlmc-server on loopback: starts the server on a free port,
# runs vlmc-loadtest (Encode and Decode at concurrency 1, 8, 64; bounded
# call count and time per level) while sampling the server's RSS, then stops
# the server with SIGTERM and checks it drained and exited cleanly.
# Also prints the server's batching totals (vlmc_batch_size,
# vlmc_batch_window_wait_seconds) from its /metrics page.
# Usage: bench/load_test.sh [extra vlmc-loadtest flags...]
#   env VLMC_SERVER_FLAGS: extra vlmc-server flags (e.g. "--workers 2")
#   env VLMC_LOAD_CSV: where the table goes (default
#     bench/results/load_test.csv)
#   env VLMC_SKIP_BUILD=1: use the binaries already in the build directory
set -euo pipefail
cd "$(dirname "$0")/.."
build=${VLMC_BUILD_DIR:-build}
results=bench/results
csv=${VLMC_LOAD_CSV:-$results/load_test.csv}
[ "${VLMC_SKIP_BUILD:-0}" = 1 ] || bash scripts/build.sh vlmc-server vlmc-loadtest
mkdir -p "$results"

log=$(mktemp)
trap 'rm -f "$log"; [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null || true' EXIT
# shellcheck disable=SC2086
"$build/server/vlmc-server" --listen 127.0.0.1:0 --metrics-listen 127.0.0.1:0 \
  ${VLMC_SERVER_FLAGS:-} >"$log" 2>&1 &
server_pid=$!
address=""
for _ in $(seq 1 600); do
  address=$(sed -n 's/^vlmc-server: listening on \([^ ]*\) .*/\1/p' "$log")
  metrics=$(sed -n 's/^vlmc-server: listening on [^ ]* metrics \([^ ]*\).*/\1/p' "$log")
  [ -n "$address" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.1
done
[ -n "$address" ] || { echo "server did not start:"; cat "$log"; exit 1; }
echo "vlmc-server (pid $server_pid) on $address"

"$build/bench/load/vlmc-loadtest" --server "$address" --server-pid "$server_pid" \
  --csv "$csv" "$@"

# Batches the server ran (Decode only; all of size 1 with --max-batch 1).
if [ -n "$metrics" ] && [ "$metrics" != off ]; then
  curl -s "http://$metrics/metrics" | awk '
    $1 == "vlmc_batch_size_count" { n = $2 }
    $1 == "vlmc_batch_size_sum" { calls = $2 }
    $1 == "vlmc_batch_window_wait_seconds_sum" { wait = $2 }
    END {
      if (n > 0) printf "batches: %d, mean size %.2f, mean window wait %.2f ms\n", n, calls / n, 1000 * wait / calls
      else print "batches: none"
    }'
fi

kill -TERM "$server_pid"
wait "$server_pid" && status=0 || status=$?
server_pid=""
echo "server exit status after SIGTERM: $status"
tail -n 3 "$log"
exit "$status"
