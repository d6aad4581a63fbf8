#!/bin/bash
# One shard of a sweep per task of a Slurm job array (docs/scale-out.md):
#
#   sbatch --array=0-15 scripts/slurm-sweep.sh GRID [RESULTS]
#
# Task I of an array of N tasks (ids 0..N-1, N from SLURM_ARRAY_TASK_COUNT) sweeps the cells
# whose index mod N is I. It works on node-local disk ($TMPDIR), starting from RESULTS/shard-I.db
# when an earlier task left one (a resubmitted shard resumes), and writes a self-contained copy
# back to RESULTS/shard-I.db (default RESULTS: results) however the sweep ended, so nothing
# trained is lost. The task's exit status is exp's: 1 when cells of the shard failed.
#
# To rerun some shards of an array of N tasks: EXP_SHARDS=N sbatch --array=7 ...
# Workers: --jobs is SLURM_CPUS_PER_TASK; change the CPUs with `sbatch --cpus-per-task=N`, or
# the workers alone with EXP_JOBS. The exp executable: EXP (default: exp on PATH).
#SBATCH --job-name=exp-sweep
#SBATCH --array=0-15
#SBATCH --cpus-per-task=4
#SBATCH --time=02:00:00
#SBATCH --output=exp-sweep-%A_%a.out
set -euo pipefail
GRID=${1:?usage: sbatch --array=0-N scripts/slurm-sweep.sh GRID [RESULTS]}
RESULTS=${2:-results}
EXP=${EXP:-exp}
I=${SLURM_ARRAY_TASK_ID:?submit as a job array: sbatch --array=0-N ...}
if [[ -n ${EXP_SHARDS:-} ]]; then
    N=$EXP_SHARDS
else
    N=$SLURM_ARRAY_TASK_COUNT
    if (( SLURM_ARRAY_TASK_MIN != 0 || SLURM_ARRAY_TASK_MAX != N - 1 )); then
        echo "slurm-sweep.sh: submit task ids 0 to N-1 (e.g. --array=0-15), or set EXP_SHARDS=N to rerun some of them" >&2
        exit 2
    fi
fi
JOBS=${EXP_JOBS:-${SLURM_CPUS_PER_TASK:-1}}
SHARD=$RESULTS/shard-$I.db
LOCAL=${TMPDIR:-/tmp}/exp-shard-${SLURM_JOB_ID:-$$}.db   # node-local disk, this task's own

mkdir -p "$RESULTS"
rm -f "$LOCAL" "$LOCAL-wal" "$LOCAL-shm"
if [[ -s $SHARD ]]; then cp "$SHARD" "$LOCAL"; fi          # resume what an earlier task stored
status=0
"$EXP" sweep "$GRID" --shard "$I/$N" --db "$LOCAL" --jobs "$JOBS" --quiet || status=$?
if [[ -s $LOCAL ]]; then
    rm -f "$SHARD.new"
    "$EXP" db snapshot --db "$LOCAL" "$SHARD.new"           # one self-contained file
    mv -f "$SHARD.new" "$SHARD"                             # replaces the earlier copy at once
    rm -f "$LOCAL" "$LOCAL-wal" "$LOCAL-shm"
fi
exit "$status"
