#!/usr/bin/env bash
# Random search against the full grid (docs/benchmarks.md, "Random search"), from the
# repository root:
#
#   bash bench/random_search.sh [DATASET ...]     # default: iris breast_cancer digits
#
# For each data set, runs its shipped grid (Data/grids/D.json) and its random search with as
# many trials as the grid has configurations (Data/grids/D_random.json) with the release exp,
# each into its own fresh database under bench/.work/random, timing each sweep; then
# bench/random_search.py reads both leaderboards, and runs Optuna's RandomSampler driving
# scikit-learn's MLPClassifier on the same split rows (read from the database). The peer needs
# optuna and scikit-learn: it uses $PYTHON (default bench/.venv/bin/python, installing them there
# when missing). OPTUNA_SEEDS and OPTUNA_TRIALS shrink the peer's budget (bench/random_search.py
# says why it is slow); JOBS is both exp's --jobs and the peer's worker processes.
# EXP=/path/to/exp uses that binary instead of building the release one; SKIP_GRID=1 keeps a
# full grid's existing database and time (bench/halving.sh's full grids are the same sweeps:
# copying bench/.work/halving/D.* to bench/.work/random/ saves training them again).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
exp=$(release_exp)
work=bench/.work/random
mkdir -p "$work"
python=$(peer_python optuna:optuna scikit-learn:sklearn)
jobs=${JOBS:-2}
datasets=("$@")
[ ${#datasets[@]} -eq 0 ] && datasets=(iris breast_cancer digits)
for d in "${datasets[@]}"; do
    for grid in "$d" "${d}_random"; do
        if [ "$grid" = "$d" ] && [ -n "${SKIP_GRID:-}" ] && [ -f "$work/$grid.time.json" ]; then continue; fi
        rm -f "$work/$grid.db" "$work/$grid.db-wal" "$work/$grid.db-shm"
        start=$(date +%s.%N)
        "$exp" sweep "Data/grids/$grid.json" --db "$work/$grid.db" --jobs "$jobs" --quiet
        end=$(date +%s.%N)
        echo "{\"grid\": \"$grid\", \"seconds\": $(echo "$end - $start" | bc)}" > "$work/$grid.time.json"
    done
done
JOBS="$jobs" "$python" bench/random_search.py "$work" "${datasets[@]}"
