#!/usr/bin/env bash
# Trains the bls2017-family rate-distortion model (issue 25) for one stage,
# warm-started (weights only) from, in this order: $VLMC_TRAIN_INIT, the last
# committed training checkpoint
# (models/train/checkpoints/vlmc-bls/checkpoint_f16.safetensors; removed when
# a model ships from it), the newest shipped
# models/zoo/vlmc-bls/<version>/model.safetensors, or, before there is any,
# `vlmc import-bls2017`. Validated at the start and at every checkpoint
# on models/train/rd_validation_train2.txt; the best is kept as
# OUT/best.safetensors.
#
# Usage: models/train/train_vlmc_bls.sh [OUT_DIR] [STEPS]
#   OUT_DIR  run folder (default runs/vlmc-bls-$(date +%Y%m%d)); a folder that
#            holds a checkpoint resumes it (with its optimizer state)
#   STEPS    steps of this stage (default 8000; the last 15 % at lr / 10)
# Environment: VLMC_BIN (default build/client/vlmc), VLMC_TRAIN_INIT,
# VLMC_TRAIN_THREADS (2), VLMC_TRAIN_LR (3e-6; near convergence larger steps
# undo progress: stages at 1e-5 and 3e-5 gained only in their tenfold-lower
# tail, while 3e-6 with batch 16 gained all along, see
# models/zoo/vlmc-bls/5/MODEL_CARD.md), VLMC_TRAIN_BATCH (16),
# VLMC_TRAIN_Z_DENSITY (per-level, or shared as v1 and v2 were trained),
# VLMC_TRAIN_LAMBDAS (the level ladder; a warm start from another ladder
# re-seats its gains by log lambda), VLMC_TRAIN_EXTRA (more `vlmc train`
# flags).
set -euo pipefail
cd "$(dirname "$0")/../.."
vlmc=${VLMC_BIN:-build/client/vlmc}
out=${1:-runs/vlmc-bls-$(date +%Y%m%d)}
steps=${2:-8000}
committed=models/train/checkpoints/vlmc-bls/checkpoint_f16.safetensors
mkdir -p "$out"
init=()
if [ ! -f "$out/checkpoint.safetensors" ]; then
  if [ -n "${VLMC_TRAIN_INIT:-}" ]; then
    init=(--init "$VLMC_TRAIN_INIT")
  elif [ -f "$committed" ]; then
    init=(--init "$committed")
  elif shipped=$(ls -d models/zoo/vlmc-bls/*/model.safetensors 2>/dev/null |
                 sort -t/ -k4 -n | tail -n 1) && [ -n "$shipped" ]; then
    init=(--init "$shipped")
  else
    "$vlmc" import-bls2017 --out "$out/import.safetensors"
    init=(--init "$out/import.safetensors")
  fi
fi
# v2's ladder reaches below v1's (0.0007 ... 0.16: 0.19 to 1.68 bpp on Kodak)
# so that q 0 codes Kodak at about 0.1 bpp; v2 to v4 were trained on
# 0.0002 ... 0.16 (7 levels, Kodak 0.05 to 1.30 bpp). An eighth level at 0.48
# lifts q 1 to 1.71 bpp on Kodak: from v4 at lr 1e-5 it trained stably
# (vlmc-bls v5 was trained on it). (An eighth level at 0.4, added at lr 1e-4
# from v2's step 1,500, had made validation far worse within 500 steps.)
lambdas=${VLMC_TRAIN_LAMBDAS:-0.0002,0.00061,0.0019,0.0057,0.017,0.053,0.16,0.48}
data=../shared/data/train,../shared/data/photos,../shared/data/coco/images,../shared/data/train2
# shellcheck disable=SC2086
exec "$vlmc" train --objective rd --family bls2017 --channels-n 128 \
  --channels-m 128 --model-id vlmc-bls \
  --lambdas "$lambdas" --z-density "${VLMC_TRAIN_Z_DENSITY:-per-level}" \
  --data "$data" --exclude models/train/coco_eval_holdout.txt \
  --validation-list models/train/rd_validation_train2.txt \
  --validation-qualities 0,0.5,1 \
  --crop 256 --batch "${VLMC_TRAIN_BATCH:-16}" --lr "${VLMC_TRAIN_LR:-3e-6}" --steps "$steps" \
  --threads "${VLMC_TRAIN_THREADS:-2}" --checkpoint-every 500 --log-every 50 \
  --monitor-images 0 "${init[@]}" ${VLMC_TRAIN_EXTRA:-} --out "$out"
