#!/usr/bin/env bash
# Every shipped data set: build in release mode, sweep Data/grids/*.json into one database and
# write the leaderboards (grouped by data set). About three minutes on two cores.
# Usage: scripts/datasets.sh [DB] [REPORT_FOLDER]   (defaults: runs.db, reports)
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:-runs.db}
out=${2:-reports}

swift build -c release --product exp
exp=.build/release/exp
for grid in iris bezdek_iris wine breast_cancer digits; do
  "$exp" sweep "Data/grids/$grid.json" --db "$db" --quiet
done
"$exp" report --db "$db" --out "$out"
