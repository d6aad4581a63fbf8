#!/usr/bin/env bash
# Successive halving against the full grid (docs/benchmarks.md, "Successive halving"), from the
# repository root:
#
#   bash bench/halving.sh [DATASET ...]     # default: iris breast_cancer digits
#
# For each data set, runs its shipped grid (Data/grids/D.json) and a successive-halving search of
# the same space (Data/grids/iris_halving.json; bench/grids/D_halving.json for the others, whose
# grids are not shipped with a halving variant) with the release exp, each into its own fresh
# database under bench/.work/halving, timing each sweep; then bench/halving.py reads both, and
# runs Optuna's SuccessiveHalvingPruner and HyperbandPruner driving scikit-learn's MLPClassifier
# (partial_fit, one epoch a step) on the same split rows and budget. The peer needs optuna and
# scikit-learn: it uses $PYTHON (default bench/.venv/bin/python, installing them there when
# missing). JOBS (default 2) is exp's --jobs. EXP=/path/to/exp uses that binary instead of
# building the release one; SKIP_GRID=1 keeps the full grid's existing database and time (the
# grids' spaces and epochs do not change with the halving settings). PRUNERS (bench/halving.py)
# picks the peer's pruners.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
exp=$(release_exp)
work=bench/.work/halving
mkdir -p "$work"
python=$(peer_python optuna:optuna scikit-learn:sklearn)
jobs=${JOBS:-2}
datasets=("$@")
[ ${#datasets[@]} -eq 0 ] && datasets=(iris breast_cancer digits)
for d in "${datasets[@]}"; do
    halving="bench/grids/${d}_halving.json"
    [ -f "$halving" ] || halving="Data/grids/${d}_halving.json"
    for grid in "Data/grids/$d.json" "$halving"; do
        name=$(basename "$grid" .json)
        if [ "$grid" = "Data/grids/$d.json" ] && [ -n "${SKIP_GRID:-}" ] && [ -f "$work/$name.time.json" ]; then continue; fi
        rm -f "$work/$name.db" "$work/$name.db-wal" "$work/$name.db-shm"
        start=$(date +%s.%N)
        "$exp" sweep "$grid" --db "$work/$name.db" --jobs "$jobs" --quiet
        end=$(date +%s.%N)
        echo "{\"grid\": \"$grid\", \"seconds\": $(echo "$end - $start" | bc)}" > "$work/$name.time.json"
    done
done
peer "$python" bench/halving.py "$work" "${datasets[@]}"
