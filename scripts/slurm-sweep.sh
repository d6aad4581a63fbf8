#!/bin/bash
# One shard of a sweep per task of a Slurm job array (docs/scale-out.md):
#
#   sbatch --array=0-15 scripts/slurm-sweep.sh GRID [RESULTS]
#
# Task I of an array of N tasks (0..N-1, N from SLURM_ARRAY_TASK_COUNT) runs the cells whose
# index mod N is I into a database on node-local disk; to rerun some shards of an earlier array
# of N tasks, set EXP_SHARDS=N (EXP_SHARDS=16 sbatch --array=7 ...). It then writes a self-contained copy to
# RESULTS/shard-I.db (default: results) on shared storage, even when the sweep stopped early, so
# nothing trained is lost. The task's exit status is exp's: 1 when cells of the shard failed.
#
# Workers: --jobs is SLURM_CPUS_PER_TASK; override it with EXP_JOBS, or the CPUs with
# `sbatch --cpus-per-task=N`. The exp executable: EXP (default: exp on PATH).
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
    N=$EXP_SHARDS                      # resubmitting some shards of an earlier array
else
    N=$SLURM_ARRAY_TASK_COUNT
    if (( SLURM_ARRAY_TASK_MIN != 0 || SLURM_ARRAY_TASK_MAX != N - 1 )); then
        echo "slurm-sweep.sh: submit task ids 0 to N-1 (e.g. --array=0-15), or set EXP_SHARDS=N to rerun some of them" >&2
        exit 2
    fi
fi
JOBS=${EXP_JOBS:-${SLURM_CPUS_PER_TASK:-1}}
LOCAL=${TMPDIR:-/tmp}/exp-shard-${SLURM_ARRAY_JOB_ID:-0}-$I.db   # node-local disk

status=0
"$EXP" sweep "$GRID" --shard "$I/$N" --db "$LOCAL" --jobs "$JOBS" --quiet || status=$?
if [[ -s "$LOCAL" ]]; then
    mkdir -p "$RESULTS"
    rm -f "$RESULTS/shard-$I.db"                             # a resubmitted shard replaces its copy
    "$EXP" db snapshot --db "$LOCAL" "$RESULTS/shard-$I.db"  # one self-contained file
fi
exit "$status"
