# Set-up shared by the bench scripts, sourced from the repository root (`. bench/common.sh`).

# The exp executable to time: $EXP when set (a build made elsewhere), else the release build of
# this checkout, built first. Prints its absolute path.
release_exp() {
    if [ -n "${EXP:-}" ]; then
        realpath "$EXP"
    else
        swift build -c release --product exp >&2
        echo "$(swift build -c release --show-bin-path)/exp"
    fi
}

# Runs a peer's command with one BLAS and OpenMP thread and without the OpenBLAS core-type
# overrides meant for older builds, so the peers and exp each use one core per process.
peer() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 "$@"; }

# The peers' Python: $PYTHON when set, else bench/.venv (created on first use). Installs each
# PACKAGE:MODULE argument from PyPI when MODULE does not import; a package that cannot be
# installed is reported and left out. Prints the interpreter's path.
peer_python() {
    local python=${PYTHON:-bench/.venv/bin/python} spec package module
    if [ -z "${PYTHON:-}" ] && [ ! -x "$python" ]; then python3 -m venv bench/.venv >&2; fi
    for spec in "$@"; do
        package=${spec%%:*} module=${spec##*:}
        if ! peer "$python" -c "import $module" 2>/dev/null; then
            echo "bench: installing $package for $python" >&2
            peer "$python" -m pip install --quiet "$package" >&2 \
                || echo "bench: could not install $package" >&2
        fi
    done
    echo "$python"
}
