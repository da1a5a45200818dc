#!/usr/bin/env bash
# Prints, one per line and sorted, the Debian packages the Dockerfile's
# runtime stage installs so that the given executables run: the owners of
# the libraries they link directly (their NEEDED entries; apt brings the
# rest as dependencies), plus the provider build used for any library reached
# through /etc/alternatives (libblas.so.3: apt alone could pick the 4x slower
# reference BLAS). The image gets the libraries, not the toolchain.
#
# Usage: deploy/image/runtime-packages.sh EXECUTABLE...
# Exit codes: 0 listed; 1 an executable is missing, not dynamic, needs a
# library ldd cannot find, or a library no installed package owns.
set -euo pipefail

die() {
  echo "runtime-packages: error: $*" >&2
  exit 1
}

(($#)) || die "usage: $0 EXECUTABLE..."
for tool in ldd readelf dpkg-query; do
  command -v "$tool" >/dev/null || die "$tool not found"
done

# The package owning $1, trying the path as given, resolved, and with and
# without the /usr prefix (merged-/usr systems list either).
owner() {
  local path=$1 real candidates=() candidate
  real=$(readlink -f "$path")
  candidates=("$path" "$real" "${path#/usr}" "${real#/usr}" "/usr$path" "/usr$real")
  for candidate in "${candidates[@]}"; do
    dpkg-query -S "$candidate" 2>/dev/null | head -n1 | cut -d: -f1 && return 0
  done
  return 1
}

declare -A packages=()
for exe in "$@"; do
  [ -x "$exe" ] || die "$exe is not an executable file"
  listing=$(ldd "$exe" 2>&1) || die "ldd $exe failed: $listing"
  if grep -q "not found" <<<"$listing"; then
    die "$exe needs libraries ldd cannot find: $(grep 'not found' <<<"$listing" | tr -s ' \t' ' ')"
  fi
  declare -A path_of=()
  # Lines "libfoo.so.1 => /path/libfoo.so.1 (0x...)".
  while read -r name path; do
    path_of[$name]=$path
    if [[ "$(readlink "$path")" == /etc/alternatives/* ]]; then
      package=$(owner "$path") || die "no installed package owns $(readlink -f "$path") (needed by $exe)"
      packages[$package]=1
    fi
  done < <(awk '$2 == "=>" && $3 ~ /^\// {print $1, $3}' <<<"$listing")
  while read -r needed; do
    path=${path_of[$needed]:-}
    [ -n "$path" ] || die "ldd does not resolve $needed (needed by $exe)"
    package=$(owner "$path") || die "no installed package owns $path (needed by $exe)"
    packages[$package]=1
  done < <(readelf -d "$exe" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
  unset path_of
done
printf '%s\n' "${!packages[@]}" | sort
