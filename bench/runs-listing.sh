#!/usr/bin/env bash
# How long `exp runs` takes to list 18,000 runs as a table, as JSON, JSON Lines and CSV
# (docs/benchmarks.md, "Listing runs"), from the repository root:
#
#   bash bench/runs-listing.sh [EXP]
#
# EXP is the exp binary to time (default: a release build, built first). The database is built
# without training: one small sweep of 18 runs (9 configurations x 2 seeds, 20 epochs), whose
# runs are then copied 999 times by SQL with other seeds, so 18,000 finished runs of one sweep.
# Needs the sqlite3 shell. Prints the median wall and CPU (user + system) seconds of 5 runs.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
exp=$(EXP=${1:-${EXP:-}} release_exp)
work=bench/.work/runs-listing
rm -rf "$work" && mkdir -p "$work"
cat > "$work/grid.json" <<GRID
{"name": "many", "dataset": "$PWD/Data/iris.data", "seeds": [1, 2],
 "grid": {"epochs": [20], "hidden_layers": [[3], [6], [8, 4]], "learning_rate": [0.05, 0.1, 0.5]}}
GRID
"$exp" sweep "$work/grid.json" --db "$work/runs.db" --quiet >/dev/null
columns=$(sqlite3 "$work/runs.db" "SELECT group_concat(name, ', ') FROM pragma_table_info('runs') WHERE name NOT IN ('run_id', 'cell_index', 'seed')")
sqlite3 "$work/runs.db" "
WITH RECURSIVE copy (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM copy WHERE n < 999)
INSERT INTO runs (cell_index, seed, $columns)
SELECT cell_index + 18 * n, seed + 1000 * n, $columns FROM runs, copy WHERE run_id <= 18;"
echo "runs: $(sqlite3 "$work/runs.db" 'SELECT COUNT(*) FROM runs')"
for format in table json jsonl csv; do
    for i in 1 2 3 4 5; do
        /usr/bin/time -f "%e %U %S" -a -o "$work/$format.times" "$exp" runs --db "$work/runs.db" --format "$format" >/dev/null
    done
    sort -n "$work/$format.times" | awk -v f="$format" 'NR == 3 { printf "%-6s wall %.2f s, cpu %.2f s (median of 5)\n", f, $1, $2 + $3 }'
done
