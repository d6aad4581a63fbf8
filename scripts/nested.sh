#!/usr/bin/env bash
# Nested cross-validation estimates of the shipped search spaces, beside scikit-learn on exactly
# the same outer folds: build in release mode, sweep each Data/grids/NAME-nested.json into one
# database, write its report, and print scripts/nested_baselines.py's table (LDA,
# LogisticRegression, SVC, MLPClassifier). The search spaces were fixed before any outer score
# was seen; do not tune them to these figures.
#
# Usage: scripts/nested.sh [DB] [REPORT_FOLDER] [NAME...]
#   defaults: nested.db, reports-nested, and iris wine breast_cancer (each a few minutes on two
#   idle cores). digits is long (about 1,900 search runs on 1,797 rows x 64 features, one repeat:
#   an hour or more on one core) and runs only when named:
#     nohup scripts/nested.sh digits.db reports-digits digits > digits-nested.log 2>&1 &
# Environment: JOBS (default 1) workers; every sweep runs under nice -n 10, so it yields to
# other work on a shared machine. A stopped run resumes where it stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:-nested.db}
out=${2:-reports-nested}
shift $(( $# < 2 ? $# : 2 ))
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(iris wine breast_cancer)

swift build -c release --product exp
exp=.build/release/exp
for name in "${names[@]}"; do
  nice -n 10 "$exp" sweep "Data/grids/$name-nested.json" --db "$db" --jobs "${JOBS:-1}" --quiet
done
"$exp" report --db "$db" --out "$out"

venv=${VENV:-/tmp/venv}
[ -x "$venv/bin/python" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q scikit-learn scipy; }
nice -n 10 "$venv/bin/python" scripts/nested_baselines.py "$db"
