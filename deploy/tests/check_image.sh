#!/usr/bin/env bash
# The full image replay (deploy/check-image.sh): debootstrap roots, the build
# stage's package installation and compile, the server's health check. It
# takes 20-40 minutes on 2 cores and needs root and Debian's mirror, so it
# runs only when VLMC_CHECK_IMAGE=1 is set; otherwise it skips and says so.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ "${VLMC_CHECK_IMAGE:-0}" = 1 ] ||
  skip "the image replay takes 20-40 min; run deploy/check-image.sh, or set VLMC_CHECK_IMAGE=1"
[ "$(id -u)" = 0 ] || skip "deploy/check-image.sh needs root (debootstrap, chroot, mounts)"
exec bash "$deploy_dir/check-image.sh"
