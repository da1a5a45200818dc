#!/usr/bin/env bash
# Task training on the bls2017-family base codec (issue 26), one arm of the
# ablation per call, every arm on the same budget and from the same start.
#
# Usage: models/train/train_task_bls.sh ARM OUT_DIR [STEPS]
#   ARM      rd          decoder fine-tune for the pixels alone (task weight 0,
#                        distortion 1): what the same steps give without tokens
#            token       decoder fine-tune with the token loss (Ltk), rank 0
#            token-rank  as token, with the rank loss (Lrk) too
#            full        as token-rank, with a pre-editor (8,16,32) trained
#                        jointly with the decoder
#   OUT_DIR  run folder; a folder that holds a checkpoint resumes it
#   STEPS    steps (default 1000; the last 15 % at lr / 10)
# The decoder side only (the synthesis and the decoder's gains) trains in
# every arm, so the rate of a quality moves only through the pre-editor
# (full): on the old base, encoder-side task passes slid along the curve
# instead of moving it (models/train/TASK_TRAINING.md). The token target is
# CenterNet's backbone at strides 8, 16 and 32, each map weighing alike, so
# that it is less tied to one layer of one detector; NanoDet never trains.
# Environment: VLMC_BIN (default build/client/vlmc), VLMC_TRAIN_INIT (default:
# the newest shipped models/zoo/vlmc-bls/<version>/model.safetensors),
# VLMC_TRAIN_THREADS (2), VLMC_TRAIN_LR (1e-4), VLMC_TRAIN_BATCH (4),
# VLMC_TRAIN_TOKEN_STRIDES (8,16,32), VLMC_TRAIN_EXTRA (more `vlmc train`
# flags).
set -euo pipefail
cd "$(dirname "$0")/../.."
usage() { sed -n '2,25s/^# \{0,1\}//p' "$0"; }
[ $# -ge 2 ] || { usage >&2; exit 2; }
arm=$1
out=$2
steps=${3:-1000}
vlmc=${VLMC_BIN:-build/client/vlmc}
init=${VLMC_TRAIN_INIT:-$(ls -d models/zoo/vlmc-bls/*/model.safetensors |
                          sort -t/ -k4 -n | tail -n 1)}
decoder=g_s.,gains.log_inverse_gain
case "$arm" in
  rd) arm_flags=(--task-weight 0 --rank-weight 0
                 --pre-editor-widths none --train-only "$decoder") ;;
  token) arm_flags=(--rank-weight 0 --pre-editor-widths none
                    --train-only "$decoder") ;;
  token-rank) arm_flags=(--rank-weight 1 --pre-editor-widths none
                         --train-only "$decoder") ;;
  full) arm_flags=(--rank-weight 1 --pre-editor-widths 8,16,32
                   --train-only "$decoder,pre_editor.") ;;
  *) echo "train_task_bls.sh: unknown arm '$arm' (rd, token, token-rank, full)" >&2
     exit 2 ;;
esac
# The base's ladder and z density, so that the warm start changes nothing.
lambdas=0.0002,0.00061,0.0019,0.0057,0.017,0.053,0.16
data=../shared/data/train,../shared/data/photos,../shared/data/coco/images,../shared/data/train2
mkdir -p "$out"
# shellcheck disable=SC2086
exec "$vlmc" train --objective task --family bls2017 --channels-n 128 \
  --channels-m 128 --model-id vlmc-task --lambdas "$lambdas" \
  --z-density per-level --init "$init" \
  --data "$data" --exclude models/train/coco_eval_holdout.txt \
  --validation-list models/train/rd_validation_train2.txt \
  --validation-qualities 0,0.5,1 \
  --token-strides "${VLMC_TRAIN_TOKEN_STRIDES:-8,16,32}" \
  --token-energy-power 1 --distortion-weight 1 "${arm_flags[@]}" \
  --crop 256 --batch "${VLMC_TRAIN_BATCH:-4}" --lr "${VLMC_TRAIN_LR:-1e-4}" \
  --steps "$steps" --threads "${VLMC_TRAIN_THREADS:-2}" \
  --checkpoint-every 250 --log-every 50 --monitor-images 4 \
  ${VLMC_TRAIN_EXTRA:-} --out "$out"
