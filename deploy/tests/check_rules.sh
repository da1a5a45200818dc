#!/usr/bin/env bash
# promtool check rules on every rule file in deploy/prometheus.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_tool promtool "Debian package prometheus"
shopt -s nullglob
rules=("$deploy_dir"/prometheus/*.yml)
((${#rules[@]})) || fail "no rule files in $deploy_dir/prometheus"
promtool check rules "${rules[@]}"
