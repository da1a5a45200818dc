#!/usr/bin/env bash
# A stream must decode the same on every machine. This runs the vlmc CLI with
# LibTorch's kernels pinned to two instruction sets (ATen's scalar "default"
# vs AVX2, plus oneDNN's and OpenBLAS's own dispatch) and 1 vs 2 threads,
# encodes under each and decodes every stream under each, and requires
# identical streams, identical float64 ("exact") pixels throughout, and
# float32 pixels within +-1 of them.
# Usage: cross_isa_test.sh VLMC MODEL IMAGE   (exit 77: skipped)
set -euo pipefail
vlmc=$1 model=$2 image=$3
if ! grep -qw avx2 /proc/cpuinfo; then
  echo "SKIP: this CPU has no AVX2, so there is no second instruction set"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Runs vlmc under instruction set $1 (default: scalar/SSE kernels, or avx2)
# with $2 threads.
run() {
  local isa=$1 threads=$2
  shift 2
  if [ "$isa" = default ]; then
    env ATEN_CPU_CAPABILITY=default ONEDNN_MAX_CPU_ISA=SSE41 \
      DNNL_MAX_CPU_ISA=SSE41 OPENBLAS_CORETYPE=Prescott \
      "$vlmc" "$@" --model "$model" --threads "$threads"
  else
    env ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 \
      DNNL_MAX_CPU_ISA=AVX2 OPENBLAS_CORETYPE=Haswell \
      "$vlmc" "$@" --model "$model" --threads "$threads"
  fi
}

# Each stream is decoded once under the other instruction set and once with
# the other thread count, in both synthesis precisions: float64 must give the
# same pixels everywhere, float32 (the default) each value within +-1 of them
# (FORMAT.md, "Pixels").
encoders="default:1 avx2:2"
decoders="avx2:1 default:2"
for c in $encoders; do
  run "${c%:*}" "${c#*:}" encode "$image" --q 0.5 --o "$tmp/$c.vlmc" >/dev/null
done
status=0
if ! cmp -s "$tmp/default:1.vlmc" "$tmp/avx2:2.vlmc"; then
  echo "FAIL: the streams encoded under default:1 and avx2:2 differ"
  status=1
fi
for c in $encoders; do
  for d in $decoders; do
    hash=$(run "${d%:*}" "${d#*:}" decode "$tmp/$c.vlmc" --o "$tmp/exact.png" \
      --synthesis float64 --sha256 | grep -Eo '[0-9a-f]{64}')
    echo "encoded under $c, decoded under $d in float64: $hash"
    echo "$hash" >>"$tmp/hashes"
    for f in $decoders; do
      report=$(run "${f%:*}" "${f#*:}" decode "$tmp/$c.vlmc" --o "$tmp/fast.png" \
        --compare "$tmp/exact.png" | grep 'compared with')
      echo "  float32 under $f: ${report#*: }"
      max=$(echo "$report" | sed -E 's/.*max \|difference\| ([0-9]+).*/\1/')
      if [ "$max" -gt 1 ]; then
        echo "FAIL: float32 under $f is $max away from float64 under $d"
        status=1
      fi
    done
  done
done
if [ "$(sort -u "$tmp/hashes" | wc -l)" != 1 ]; then
  echo "FAIL: float64 decoded pixels differ between configurations"
  status=1
fi
exit $status
