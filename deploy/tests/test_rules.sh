#!/usr/bin/env bash
# promtool test rules: the alert unit tests in deploy/prometheus/tests.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_tool promtool "Debian package prometheus"
shopt -s nullglob
tests=("$deploy_dir"/prometheus/tests/*.test.yml)
((${#tests[@]})) || fail "no rule tests in $deploy_dir/prometheus/tests"
# Every alert needs a unit test.
for alert in $(sed -n 's/^ *- alert: *\([A-Za-z0-9_]*\).*/\1/p' "$deploy_dir"/prometheus/*.yml); do
  grep -q "alertname: $alert\$" "${tests[@]}" || fail "alert $alert has no promtool unit test"
done
promtool test rules "${tests[@]}"
