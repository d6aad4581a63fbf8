#!/usr/bin/env bash
# The benchmark suite (docs/benchmarks.md), in one command from the repository root:
#
#   bash bench/run.sh [--quick] [--target 3]
#
# Builds exp and exp-bench in release mode, creates bench/.venv and installs the peers
# (numpy, scikit-learn, torch) from PyPI when they are missing, builds the scalar C loop
# (bench/c/mlp.c, gcc -O2), measures the five targets of docs/benchmarks.md with exp and each peer,
# and prints each target with its measured ratio and "met" / "not met". A peer that cannot be installed is
# reported as n/a; the others still run. `--target 3` measures only the storing cost (no peers needed).
set -euo pipefail
cd "$(dirname "$0")/.."

swift build -c release >&2
# The scalar C loop of target 1: plain loops, no BLAS, baseline x86-64 code.
mkdir -p bench/.work
gcc -O2 -o bench/.work/mlp bench/c/mlp.c -lm

. bench/common.sh
# A peer that cannot be installed reads n/a in its column.
python=$(peer_python numpy:numpy scikit-learn:sklearn torch:torch)
exec "$python" bench/run.py "$@"
