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

venv=bench/.venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" >&2
fi
# The peers' processes never see the OpenBLAS core-type overrides meant for older builds.
peer() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 "$@"; }
for spec in numpy:numpy scikit-learn:sklearn torch:torch; do
    package=${spec%%:*} module=${spec##*:}
    if ! peer "$venv/bin/python" -c "import $module" 2>/dev/null; then
        echo "bench: installing $package into $venv" >&2
        peer "$venv/bin/pip" install --quiet "$package" >&2 \
            || echo "bench: could not install $package; its column will read n/a" >&2
    fi
done

exec "$venv/bin/python" bench/run.py "$@"
