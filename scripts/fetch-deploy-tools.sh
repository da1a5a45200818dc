#!/usr/bin/env bash
# Installs the npm packages the deploy/ tests validate manifests with
# (deploy/tools/package.json: kubernetes-models 4.5.1,
# @kubernetes-models/prometheus-operator 4.4.4, yaml 2.9.1) into a cache:
#   $VLMC_DEPLOY_TOOLS if set, else ${XDG_CACHE_HOME:-$HOME/.cache}/vlmc/deploy-tools
# The tests find them there through NODE_PATH=<cache>/node_modules.
#
# `npm ci` installs exactly deploy/tools/package-lock.json and checks every
# tarball against the sha512 integrity value committed there. Install scripts
# are not run. Idempotent: when the cache was installed from the same lock
# file, nothing is fetched.
#
# Exit codes:
#   0  installed, or already installed from this lock file
#   1  environment error: npm or sha256sum missing, cache not writable
#   2  `npm ci` failed (registry unreachable, integrity mismatch)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$repo_root/deploy/tools"
dest="${VLMC_DEPLOY_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/vlmc/deploy-tools}"

die() {
  local code=$1
  shift
  echo "fetch-deploy-tools: error: $*" >&2
  exit "$code"
}

command -v sha256sum >/dev/null || die 1 "sha256sum not found"
lock_sum=$(cat "$src/package.json" "$src/package-lock.json" | sha256sum | cut -d' ' -f1)
if [ -d "$dest/node_modules" ] && [ "$(cat "$dest/.installed-from" 2>/dev/null)" = "$lock_sum" ]; then
  echo "fetch-deploy-tools: present in $dest"
  exit 0
fi

command -v npm >/dev/null || die 1 "npm not found (install Debian packages nodejs npm)"
mkdir -p "$dest" 2>/dev/null || die 1 "cannot create $dest"
cp "$src/package.json" "$src/package-lock.json" "$dest/" 2>/dev/null || die 1 "cannot write to $dest"
rm -f "$dest/.installed-from"
echo "fetch-deploy-tools: installing deploy/tools/package-lock.json into $dest (about 36 MB)"
if ! (cd "$dest" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >"$dest/npm.log" 2>&1); then
  reason=$(grep -m1 -v -e '^npm error A complete log' -e '^\s*$' "$dest/npm.log" || true)
  die 2 "npm ci failed (is the npm registry reachable?): ${reason:-no message}"
fi
echo "$lock_sum" >"$dest/.installed-from"
echo "fetch-deploy-tools: installed into $dest"
