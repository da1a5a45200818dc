#!/usr/bin/env bash
# Validation of a task-training checkpoint on images that are neither trained
# on nor the COCO test set (default: the first 12 Kodak images), for choosing
# checkpoints and comparing training arms without touching the held-out COCO
# images that the model card reports on.
#
# Exports the checkpoint (float16, as shipped), codes the images with it and
# with a reference model through vlmc-bench (vlmc only, 6 qualities), and
# prints the BD-rate of the checkpoint against the reference on token cosine,
# PSNR, MS-SSIM and both detectors' mAP@0.5 against their own detections on
# the original (pseudo ground truth; noisy on a dozen images).
#
# Usage: bench/task_validation.sh CHECKPOINT [flags]
#   --reference MODEL  model file to compare with (default: the shipped
#                      models/zoo/vlmc-hp/2/model.safetensors)
#   --images DIR       image folder (default: ../shared/data/kodak)
#   --limit N          the first N images of DIR, sorted by name (default 12)
#   --out DIR          working folder (default: a new temporary folder); a
#                      reference result there for the same model and images
#                      is reused
#   --no-build         use the binaries already in the build folder
# Relative paths are taken from the current folder. Environment:
# VLMC_BUILD_DIR (build). Takes about 1.5 CPU-minutes per model for 12 images.
set -euo pipefail
usage() { sed -n '2,24s/^# \{0,1\}//p' "$0"; }
# Paths are resolved before moving to the repository root.
absolute() { realpath -m -- "$1"; }
[ $# -ge 1 ] || { usage >&2; exit 2; }
case "$1" in -h | --help) usage; exit 0 ;; esac
checkpoint=$(absolute "$1")
shift
root=$(cd "$(dirname "$0")/.." && pwd)
reference=$root/models/zoo/vlmc-hp/2/model.safetensors
images=$(absolute "$root/../shared/data/kodak")
limit=12
out=
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --reference | --images | --limit | --out)
      [ $# -ge 2 ] || { echo "task_validation.sh: $1 needs a value" >&2; exit 2; }
      case "$1" in
        --reference) reference=$(absolute "$2") ;;
        --images) images=$(absolute "$2") ;;
        --limit) limit=$2 ;;
        --out) out=$(absolute "$2") ;;
      esac
      shift
      ;;
    --no-build) build=0 ;;
    *)
      echo "task_validation.sh: unknown argument $1 (see --help)" >&2
      exit 2
      ;;
  esac
  shift
done
for file in "$checkpoint" "$reference"; do
  [ -f "$file" ] || { echo "task_validation.sh: no such file: $file" >&2; exit 1; }
done
[ -d "$images" ] || { echo "task_validation.sh: no such folder: $images" >&2; exit 1; }
case "$limit" in '' | *[!0-9]* | 0)
  echo "task_validation.sh: --limit must be a positive integer" >&2; exit 2 ;;
esac
cd "$root"
build_dir=${VLMC_BUILD_DIR:-build}
if [ "$build" = 1 ]; then bash scripts/build.sh vlmc vlmc-bench vlmc-bdrate; fi
vlmc=$build_dir/client/vlmc
bench=$build_dir/bench/rate_accuracy/vlmc-bench
bdrate=$build_dir/bench/vlmc-bdrate
for binary in "$vlmc" "$bench" "$bdrate"; do
  [ -x "$binary" ] || { echo "task_validation.sh: $binary is not built (drop --no-build)" >&2; exit 1; }
done
if [ -z "$out" ]; then out=$(mktemp -d /tmp/vlmc-task-validation.XXXXXX); fi
mkdir -p "$out/no_labels"

# sed, not head: head would close the pipe early and fail it under pipefail.
find "$images" -maxdepth 1 -type f \( -name '*.png' -o -name '*.jpg' \) \
  -printf '%f\n' | sort | sed -n "1,${limit}p" >"$out/images.txt"
[ -s "$out/images.txt" ] || { echo "task_validation.sh: no images in $images" >&2; exit 1; }

"$vlmc" export --checkpoint "$checkpoint" \
  --out "$out/candidate.safetensors" --dtype f16 >/dev/null

run_bench() {  # MODEL OUT_SUBDIR
  mkdir -p "$out/$2"
  echo "task_validation.sh: coding $(wc -l <"$out/images.txt") images with $1" >&2
  "$bench" --codecs vlmc --images "$images" \
    --list "$out/images.txt" --labels "$out/no_labels" --jobs 1 --threads 1 \
    --model "$1" --out "$out/$2" >"$out/$2/log" 2>&1 ||
    { cat "$out/$2/log" >&2; exit 1; }
}
# The reference is reused only for the same model file and image list.
{ echo "$reference"; echo "$images"; cat "$out/images.txt"; } >"$out/reference.key"
if ! [ -f "$out/reference/summary.csv" ] ||
  ! cmp -s "$out/reference.key" "$out/reference/key"; then
  run_bench "$reference" reference
  cp "$out/reference.key" "$out/reference/key"
fi
run_bench "$out/candidate.safetensors" candidate

echo "checkpoint $checkpoint vs $reference on $(wc -l <"$out/images.txt") images of $images"
for metric in token_cosine psnr ms_ssim centernet_map50_pseudo nanodet_map50_pseudo; do
  # mAP on a dozen images often does not rise with the rate: the points a
  # cheaper one matches are left out (--pareto 1) and counted; where fewer
  # than two remain, vlmc-bdrate's reason is printed instead.
  if result=$("$bdrate" --reference "$out/reference/summary.csv" \
    --test "$out/candidate/summary.csv" --metric "$metric" --pareto 1 2>&1); then
    dropped=$(grep -o '([0-9]* dominated left out)' <<<"$result" |
      awk '{ n += substr($1, 2) } END { print n + 0 }' || true)
    result=$(grep '^BD-rate' <<<"$result" || true)
    if [ -n "$dropped" ] && [ "$dropped" != 0 ]; then
      result="$result ($dropped dominated points left out)"
    fi
  else
    result="not computed: $(grep '^vlmc-bdrate' <<<"$result" | sed 's/^vlmc-bdrate: //' || true)"
  fi
  printf '  %-24s %s\n' "$metric" "$result"
done
echo "task_validation.sh: results in $out"
