#!/usr/bin/env bash
# Renders each overlay of deploy/k8s and validates the result against the
# Kubernetes and Prometheus Operator schemas (npm kubernetes-models), then
# checks the objects' cross-references. Where kubectl exists, also checks that
# render-kustomize.js renders exactly what `kubectl kustomize` does.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
use_deploy_node_modules
tools="$deploy_dir/tools"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

overlays=("$deploy_dir"/k8s/overlays/*/)
((${#overlays[@]} >= 2)) || fail "expected the cpu and gpu overlays in $deploy_dir/k8s/overlays"
for overlay in "${overlays[@]}"; do
  name=$(basename "$overlay")
  echo "== overlay $name"
  node "$tools/render-kustomize.js" "$overlay" >"$out/$name.yaml"
  node "$tools/validate-k8s.js" "$out/$name.yaml"
  node "$tools/check-k8s-refs.js" "$out/$name.yaml"
  if command -v kubectl >/dev/null; then
    kubectl kustomize "$overlay" >"$out/$name.kubectl.yaml"
    node "$tools/same-objects.js" "$out/$name.yaml" "$out/$name.kubectl.yaml"
  else
    echo "kubectl not found: render-kustomize.js not compared with kustomize"
  fi
done
