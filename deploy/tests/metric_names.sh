#!/usr/bin/env bash
# Starts the real vlmc-server on 127.0.0.1 (free ports), makes one RPC with the
# vlmc client so the per-method families are exported, scrapes /metrics and
# fails if a vlmc_* metric that deploy/grafana/*.json or
# deploy/prometheus/*.yml refers to is not among the scraped sample names
# (histograms are scraped as NAME_bucket, NAME_sum and NAME_count).
# Usage: metric_names.sh VLMC_SERVER VLMC_CLIENT
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
(($# == 2)) || fail "usage: metric_names.sh VLMC_SERVER VLMC_CLIENT"
server_bin=$1
client_bin=$2

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

"$server_bin" --listen 127.0.0.1:0 --metrics-listen 127.0.0.1:0 --workers 1 \
  >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
for _ in $(seq 600); do
  grep -q '^vlmc-server: listening on' "$work/server.out" && break
  kill -0 "$server_pid" 2>/dev/null || fail "vlmc-server exited: $(tail -n3 "$work/server.err")"
  sleep 0.1
done
read -r grpc_address metrics_address < <(
  sed -n 's/^vlmc-server: listening on \([^ ]*\) metrics \([^ ]*\)$/\1 \2/p' "$work/server.out")
[ -n "${metrics_address:-}" ] || fail "no listening line from vlmc-server: $(cat "$work/server.out")"

"$client_bin" info --server "$grpc_address" --deadline-ms 10000 >/dev/null ||
  fail "vlmc info --server $grpc_address failed"

# The endpoint answers with Connection: close, so a raw HTTP/1.0 GET suffices.
metrics_port=${metrics_address##*:}
exec 3<>"/dev/tcp/127.0.0.1/$metrics_port"
printf 'GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
cat <&3 >"$work/scrape.txt"
exec 3<&-
head -n1 "$work/scrape.txt" | grep -q ' 200 ' || fail "GET /metrics: $(head -n1 "$work/scrape.txt")"

tr -d '\r' <"$work/scrape.txt" | grep -o '^vlmc_[a-z0-9_]*' | sort -u >"$work/exported.txt"
grep -oh '\bvlmc_[a-z0-9_]*' "$deploy_dir"/grafana/*.json "$deploy_dir"/prometheus/*.yml |
  sort -u >"$work/referenced.txt"
[ -s "$work/referenced.txt" ] || fail "no vlmc_* metric referenced in deploy/grafana or deploy/prometheus"

missing=$(comm -23 "$work/referenced.txt" "$work/exported.txt")
echo "exported: $(wc -l <"$work/exported.txt") vlmc_* sample names; referenced: $(wc -l <"$work/referenced.txt")"
[ -z "$missing" ] || fail "referenced but not exported by vlmc-server: $(echo $missing)"
echo "every referenced metric is exported"
