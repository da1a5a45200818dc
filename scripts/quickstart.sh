#!/usr/bin/env bash
# The whole chain on loopback, in one command: sets up the machine, builds,
# starts vlmc-server (the codec service, shipped default model) and
# vlmc-lvlm-ref (the reference model service, a COCO detector), encodes a
# sample image through the server as a camera would, decodes it on the server
# and forwards the decoded tensor to the model service as a cloud pipeline
# would, prints the answer and the bits spent, then stops both servers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh vlmc vlmc-server vlmc-lvlm-ref
build=${VLMC_BUILD_DIR:-build}
vlmc=$build/client/vlmc
sample=tests/data/kodim20.png
out=$(mktemp -d)
pids=()
stop_servers() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
trap 'stop_servers; rm -rf "$out"' EXIT

# Starts a server on a free loopback port; prints its "listening on" line.
start_server() {
  local name=$1; shift
  "$@" >"$out/$name.out" 2>"$out/$name.err" &
  pids+=("$!")
  for _ in $(seq 1 600); do
    if grep -q 'listening on' "$out/$name.out"; then
      grep 'listening on' "$out/$name.out"
      return 0
    fi
    if ! kill -0 "${pids[-1]}" 2>/dev/null; then
      echo "quickstart: $name failed to start:" >&2
      cat "$out/$name.err" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "quickstart: $name did not start within 60 s" >&2
  return 1
}
address_of() { sed -n "s/^$1: listening on \([^ ]*\).*/\1/p" "$out/$1.out"; }

echo
echo "== start the servers on loopback"
start_server vlmc-server "$build/server/vlmc-server" \
  --listen 127.0.0.1:0 --metrics-listen 127.0.0.1:0
start_server vlmc-lvlm-ref "$build/server/lvlm_ref/vlmc-lvlm-ref" \
  --listen 127.0.0.1:0
codec=$(address_of vlmc-server)
lvlm=$(address_of vlmc-lvlm-ref)
metrics=$(sed -n 's/.* metrics \([^ ]*\).*/\1/p' "$out/vlmc-server.out")

echo
echo "== what the codec server holds"
"$vlmc" info --server "$codec"

echo
echo "== camera side: encode $sample through the server (Encode)"
for q in 0.1 0.5; do
  "$vlmc" encode "$sample" -q "$q" -o "$out/sample_q$q.vlmc" --server "$codec"
done

echo
echo "== cloud side: decode on the server, forward the tensor to the model service"
for q in 0.1 0.5; do
  echo "-- stream at quality $q"
  "$vlmc" forward "$out/sample_q$q.vlmc" --server "$codec" --lvlm "$lvlm" --task detect
done
echo "-- for comparison, the uncompressed original"
"$vlmc" detect "$sample" --server "$lvlm"

if [ -n "$metrics" ]; then
  echo
  echo "== the server's Prometheus counters (http://$metrics/metrics)"
  exec 3<>"/dev/tcp/${metrics%:*}/${metrics##*:}"
  printf 'GET /metrics HTTP/1.0\r\n\r\n' >&3
  grep '^vlmc_requests_total' <&3 || true
  exec 3<&-
fi

echo
echo "== stop the servers (SIGTERM: they drain and exit)"
stop_servers
tail -n 1 "$out/vlmc-server.err" "$out/vlmc-lvlm-ref.err" 2>/dev/null || true
echo
echo "quickstart: done"
