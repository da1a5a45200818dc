#!/usr/bin/env bash
# The Dockerfile against deploy/check-image.sh's parser (--dry-run: no root,
# no network, seconds): it must be understood, and the checker must reject
# what would make a bad image. Also: the image's environment and ports agree
# with the Kubernetes ConfigMap.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_tool python3 "Debian package python3"
repo_root=$(cd "$deploy_dir/.." && pwd)
check="$deploy_dir/check-image.sh"

bash "$check" --dry-run || fail "check-image.sh --dry-run rejects the Dockerfile"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/ctx/app" "$scratch/ctx/build"
echo data >"$scratch/ctx/app/file"
echo data >"$scratch/ctx/build/file"
echo "build" >"$scratch/ctx/.dockerignore"

# expect_rejected NAME EXPECTED-MESSAGE-PART DOCKERFILE-BODY
expect_rejected() {
  local name=$1 expected=$2 output
  printf '%s\n' "$3" >"$scratch/ctx/Dockerfile.$name"
  if output=$(bash "$check" --dry-run --dockerfile "$scratch/ctx/Dockerfile.$name" 2>&1); then
    fail "$name: accepted, expected a rejection mentioning '$expected'"
  fi
  grep -qF -- "$expected" <<<"$output" || fail "$name: rejected with '$output', expected '$expected'"
  echo "ok: $name rejected ($expected)"
}
good='FROM debian:12
COPY app/ /app/
USER 1000:1000
HEALTHCHECK CMD ["true"]
ENTRYPOINT ["/app/file"]'
bash "$check" --dry-run --dockerfile <(echo) >/dev/null 2>&1 && fail "an empty Dockerfile was accepted"
printf '%s\n' "$good" >"$scratch/ctx/Dockerfile.good"
bash "$check" --dry-run --dockerfile "$scratch/ctx/Dockerfile.good" >/dev/null ||
  fail "a minimal valid Dockerfile was rejected"
expect_rejected root-user "USER is root" "${good/USER 1000:1000/USER root}"
expect_rejected no-user "sets no USER" "${good/USER 1000:1000/}"
expect_rejected no-healthcheck "no HEALTHCHECK" "${good/HEALTHCHECK CMD \[\"true\"\]/}"
expect_rejected missing-source "does not exist" "${good/app\//nothere/}"
expect_rejected ignored-source "excluded by .dockerignore" "${good/app\//build/}"
expect_rejected unknown-stage "names no earlier stage" "${good/COPY app\//COPY --from=nowhere /x}"
expect_rejected unsupported "not supported" "${good/USER 1000:1000/ONBUILD RUN true
USER 1000:1000}"
expect_rejected shell-entrypoint "exec form" "${good/ENTRYPOINT \[\"\/app\/file\"\]/ENTRYPOINT /app/file}"

# The image and the ConfigMap must agree on where models live and on ports.
configmap="$deploy_dir/k8s/base/configmap.yaml"
for name in VLMC_MODEL_ROOT VLMC_SEMANTIC_MODEL_DIR; do
  in_image=$(grep -o "$name=[^ \\]*" "$repo_root/Dockerfile" | head -n1 | cut -d= -f2)
  in_configmap=$(sed -n "s/^ *$name: *\"\{0,1\}\([^\"]*\)\"\{0,1\}$/\1/p" "$configmap")
  [ -n "$in_image" ] || fail "the Dockerfile sets no $name"
  [ "$in_image" = "$in_configmap" ] || fail "$name: Dockerfile $in_image, ConfigMap $in_configmap"
done
for name in VLMC_LISTEN VLMC_METRICS_LISTEN VLMC_HEALTH_LISTEN; do
  port=$(sed -n "s/^ *$name: *\"\{0,1\}[^\"]*:\([0-9]*\)\"\{0,1\}$/\1/p" "$configmap")
  grep -Eq "^EXPOSE .*\\b$port\\b" "$repo_root/Dockerfile" || fail "ConfigMap port $port ($name) is not EXPOSEd"
done
echo "ok: Dockerfile environment and ports agree with $configmap"
