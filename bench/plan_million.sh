#!/usr/bin/env bash
# How long the million-cell grid of the shared cases (g13) takes to be ready to train, and the
# peak memory of the process (docs/benchmarks.md, "Planning a million cells"):
#
#   bash bench/plan_million.sh [EXP]
#
# EXP is an exp executable (default: a release build, made first). `exp sweep` starts on an
# empty database with one job; "ready" is the moment its first progress line appears on
# standard error (printed when the first run is claimed); the sweep is then stopped with SIGINT.
# Peak memory is `/usr/bin/time -v`'s maximum resident set size over the whole process.
# Targets: ready within 15 s, peak memory at most 500 MB.
set -euo pipefail
cd "$(dirname "$0")/.."

. bench/common.sh
exp=$(EXP=${1:-${EXP:-}} release_exp)
grid=Tests/SweepTests/Fixtures/cases/grids/g13_million_cells.json
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db=$work/runs.db
mkfifo "$work/stderr"

start=$(date +%s.%N)
/usr/bin/time -v -o "$work/time.txt" "$exp" sweep "$grid" --db "$db" --jobs 1 2>"$work/stderr" >/dev/null &
timer=$!
ready=""
while IFS= read -r line; do
    echo "$line" >>"$work/stderr.txt"
    if [ -z "$ready" ] && [ "${line:0:1}" = "[" ]; then
        ready=$(date +%s.%N)
        sweep=$(pgrep -P "$timer" || true)
        [ -n "$sweep" ] && kill -INT "$sweep"
    fi
done <"$work/stderr"
wait "$timer" || true

if [ -z "$ready" ]; then
    echo "plan_million: no run was claimed; exp said:" >&2
    cat "$work/stderr.txt" >&2
    exit 1
fi
peak_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$work/time.txt")
counts=$(sqlite3 -readonly "$db" "SELECT planned_cells || ' planned, ' || queued_cells || ' queued' FROM sweeps")
printf 'g13 (1,000,000 cells): ready to train in %.2f s, peak memory %d MB (%s; runs.db %d MB; %s s of CPU in all, with training until stopped; load average %s)\n' \
    "$(echo "$ready - $start" | bc)" "$((peak_kb / 1024))" "$counts" "$(( $(stat -c %s "$db") / 1048576 ))" "$cpu" \
    "$(cut -d' ' -f1 /proc/loadavg)"
