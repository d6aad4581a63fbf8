#!/usr/bin/env bash
# Serving while a sweep runs (docs/benchmarks.md, "Serving while a sweep runs"), from the
# repository root:
#
#   bash bench/serve_load.sh [--pairs 3] [--clients 100] [--seconds 30] [--interval 1] [--seeds 8]
#
# Builds the release exp (EXP=/path/to/exp uses that binary instead), then bench/serve_load.py
# (standard library only) runs the shipped Iris grid, with its seeds widened to 1...8 so that a
# sweep lasts a minute or more on two cores, into a fresh database under bench/.work/serve_load:
# once with `exp serve` on that database and 100 clients polling the live view's pages and API
# and holding event streams open for 30 s, once with no server, alternating, --pairs times. It
# prints the tables of docs/benchmarks.md; the raw figures go to bench/.work/serve_load/results.json.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
exp=$(release_exp)
mkdir -p bench/.work/serve_load
echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) commit $(git rev-parse --short HEAD) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $("$exp" --version)" >&2
python3 bench/serve_load.py --exp "$exp" --out bench/.work/serve_load/results.json "$@"
