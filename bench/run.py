"""Runs the five workloads of docs/benchmarks.md with exp and its peers and prints a table of
medians and ratios. Started by bench/run.sh (which builds exp and installs the peers); uses only
the standard library itself. Work files go to bench/.work/ (git-ignored); the raw numbers to
bench/.work/results.json.

    python bench/run.py [--quick]
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "bench", ".work")
BIN = os.path.join(ROOT, ".build", "release")
PY = sys.executable

# exp runs in the environment it was given; the Python peers on one thread, without the
# OpenBLAS core-type overrides some machines set for older OpenBLAS builds.
PEER_ENV = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
PEER_ENV.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")


def log(message):
    print(message, file=sys.stderr, flush=True)


def run_json(cmd, env=None):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def wall(cmd, env=None):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env, cwd=ROOT)
    return time.perf_counter() - start


def fresh(path):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def median(xs):
    return statistics.median(xs) if xs else None


def train_workload(data, hidden, batch, epochs, repeats, peers):
    args = ["--data", data, "--hidden", hidden, "--batch", str(batch), "--epochs", str(epochs),
            "--repeats", str(repeats)]
    exp = run_json([os.path.join(BIN, "exp-bench"), "train"] + args)
    others = run_json([PY, os.path.join(ROOT, "bench", "peers.py"), "--peers", ",".join(peers)] + args, env=PEER_ENV)
    result = {"exp": median(exp["times"]), "rows": exp["rows"]}
    for peer, value in others.items():
        result[peer] = median(value["times"]) if "times" in value else value["error"]
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer repeats and a smaller sweep (a smoke test)")
    args = ap.parse_args()
    os.makedirs(WORK, exist_ok=True)
    reps = 3 if args.quick else 7
    results = {}

    # 1. Iris 4-8-3, 1,000 epochs, 120 rows, full batch and batch 16: seconds per run.
    for batch in (120, 16):
        log(f"workload 1: Iris 4-8-3, batch {batch}")
        results[f"iris_b{batch}"] = train_workload("iris", "8", batch, 1000, reps, ["numpy", "sklearn", "torch"])

    # 4. Digits 64-128-10, batch 32, 100 epochs: rows per second.
    log("workload 4: Digits 64-128-10")
    results["digits"] = train_workload("digits", "128", 32, 100 if not args.quick else 20, 3,
                                       ["numpy", "torch", "torch-float32"])
    results["digits"]["epochs"] = 100 if not args.quick else 20

    # 2 and 3. A sweep of 816 Iris runs (24 configurations x 34 seeds, 1,000 epochs each).
    seeds = 8 if args.quick else 34
    grid = os.path.join(WORK, "grid.json")
    runs = run_json([os.path.join(BIN, "exp-bench"), "grid", "--out", grid, "--seeds", str(seeds)])["runs"]
    db = os.path.join(WORK, "sweep.db")
    sweep = {"runs": runs, "stored": {}, "nostore": {}}
    for jobs in (2, 1):
        for r in range(1 if args.quick or jobs == 1 else 3):
            log(f"workload 2/3: sweep of {runs} runs, {jobs} job(s), repeat {r + 1}")
            fresh(db)
            sweep["stored"].setdefault(jobs, []).append(
                wall([os.path.join(BIN, "exp"), "sweep", grid, "--db", db, "--jobs", str(jobs), "--quiet"]))
            sweep["nostore"].setdefault(jobs, []).append(
                wall([os.path.join(BIN, "exp-bench"), "sweep-nostore", "--grid", grid, "--jobs", str(jobs)]))
    sweep["metric_rows"] = int(subprocess.run(["sqlite3", db, "SELECT COUNT(*) FROM epoch_metrics"],
                                              capture_output=True, text=True).stdout.strip() or 0) \
        if shutil.which("sqlite3") else None
    results["sweep"] = sweep

    # 5. The store: metric rows per second through RunStore.record, bytes per row, exp report time.
    store_runs = 2000 if args.quick else 10000
    log(f"workload 5: store of {store_runs} runs x 100 epochs")
    store_db = os.path.join(WORK, "store.db")
    store = run_json([os.path.join(BIN, "exp-bench"), "store", "--db", store_db, "--runs", str(store_runs),
                      "--epochs", "100"])
    # The same writes with 1,000 epochs per run (an Iris run of workloads 1-3): rows per second
    # without most of the per-run costs.
    long_runs = run_json([os.path.join(BIN, "exp-bench"), "store", "--db", os.path.join(WORK, "store-long.db"),
                          "--runs", "300", "--epochs", "1000"])
    fresh(os.path.join(WORK, "store-long.db"))
    store["long_runs_rows_per_second"] = long_runs["metric_rows_per_second"]
    report_times = []
    for _ in range(3):
        out = os.path.join(WORK, "report")
        shutil.rmtree(out, ignore_errors=True)
        report_times.append(wall([os.path.join(BIN, "exp"), "report", "--db", store_db, "--out", out]))
    store["report_seconds"] = report_times
    results["store"] = store
    fresh(db)

    results["machine"] = machine()
    with open(os.path.join(WORK, "results.json"), "w") as f:
        json.dump(results, f, indent=1, default=str)
    print(table(results))


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    def version(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, env=PEER_ENV).stdout.strip().splitlines()[0]
        except Exception:
            return "?"
    peers = version([PY, "-c", "import importlib.metadata as m\nout = []\n"
                     "for p in ('numpy', 'scikit-learn', 'torch'):\n"
                     "    try: out.append(p + ' ' + m.version(p))\n"
                     "    except Exception: out.append(p + ' not installed')\n"
                     "print(', '.join(out))"])
    openblas = version(["sh", "-c", "dpkg-query -W -f='${Version}' libopenblas0 2>/dev/null || echo ?"])
    return {"nproc": os.cpu_count(), "cpu": cpu, "swift": version(["swift", "--version"]),
            "python": platform.python_version(), "peers": peers, "openblas": openblas,
            "kernel": platform.release()}


def table(r):
    def ms(x):
        return f"{x * 1000:.1f} ms" if isinstance(x, float) else "n/a"

    def ratio(peer, exp):
        return f" ({peer / exp:.1f}x)" if isinstance(peer, float) and isinstance(exp, float) else ""

    lines = ["| workload | exp | NumPy | scikit-learn | PyTorch, 1 thread | target | met |",
             "|---|---|---|---|---|---|---|"]
    for batch in (120, 16):
        w = r[f"iris_b{batch}"]
        e = w["exp"]
        met = all(isinstance(w.get(p), float) and w[p] / e >= t for p, t in (("numpy", 3), ("sklearn", 10), ("torch", 10)))
        lines.append(f"| 1. Iris 4-8-3, 1,000 epochs, {w['rows']} rows, batch {batch}: time per run | {ms(e)} | "
                     f"{ms(w.get('numpy'))}{ratio(w.get('numpy'), e)} | {ms(w.get('sklearn'))}{ratio(w.get('sklearn'), e)} | "
                     f"{ms(w.get('torch'))}{ratio(w.get('torch'), e)} | 3x NumPy, 10x sklearn, 10x PyTorch | "
                     f"{'yes' if met else 'no'} |")
    d = r["digits"]
    rows = d["rows"] * d["epochs"]
    def rps(x):
        return f"{rows / x:,.0f} rows/s" if isinstance(x, float) else "n/a"
    t32 = d.get("torch-float32")
    met = isinstance(d.get("torch"), float) and d["torch"] / d["exp"] >= 1.5
    lines.append(f"| 4. Digits 64-128-10, batch 32, {d['epochs']} epochs: training rows per second (float64) | "
                 f"{rps(d['exp'])} | {rps(d.get('numpy'))}{ratio(d.get('numpy'), d['exp'])} | – | "
                 f"{rps(d.get('torch'))}{ratio(d.get('torch'), d['exp'])}"
                 f"{'; float32 ' + rps(t32) + ratio(t32, d['exp']) if isinstance(t32, float) else ''} | "
                 f"1.5x PyTorch | {'yes' if met else 'no'} |")
    s = r["sweep"]
    st2, ns2 = median(s["stored"][2]), median(s["nostore"][2])
    st1, ns1 = median(s["stored"][1]), median(s["nostore"][1])
    overhead = st2 / ns2 - 1
    lines.append(f"| 2. sweep of {s['runs']} Iris runs, 2 jobs: wall time, every epoch stored vs. nothing stored | "
                 f"{st2:.2f} s vs. {ns2:.2f} s: storing costs {overhead * 100:+.1f}% | – | – | – | at most +10% | "
                 f"{'yes' if overhead <= 0.10 else 'no'} |")
    lines.append(f"| 3. the same sweep, 1 job → 2 jobs: speed-up | {st1:.2f} s → {st2:.2f} s: {st1 / st2:.2f}x "
                 f"(nothing stored: {ns1 / ns2:.2f}x) | – | – | – | at least 1.8x | {'yes' if st1 / st2 >= 1.8 else 'no'} |")
    st = r["store"]
    rep = median(st["report_seconds"])
    per_row = st["file_bytes"] / st["metric_rows"]
    table_bytes = st.get("epoch_metrics_bytes")
    table_note = f"; epoch_metrics table {table_bytes / st['metric_rows']:.0f} B" if isinstance(table_bytes, int) else ""
    lines.append(f"| 5a. store: metric rows inserted per second (RunStore.record, {st['runs']:,} runs x 100 epochs, "
                 f"weights included) | {st['metric_rows_per_second']:,.0f} rows/s; with 1,000 epochs per run "
                 f"{st['long_runs_rows_per_second']:,.0f} rows/s | – | – | – | at least 500,000 | "
                 f"{'yes' if st['metric_rows_per_second'] >= 500000 else 'no'} |")
    lines.append(f"| 5b. store: bytes of runs.db per metric row | {per_row:.0f} B (file, weights included)"
                 f"{table_note}"
                 f" | – | – | – | (measured) | – |")
    lines.append(f"| 5c. `exp report` over {st['runs']:,} runs | {rep:.2f} s | – | – | – | under 2 s | "
                 f"{'yes' if rep < 2 else 'no'} |")
    m = r["machine"]
    lines.append("")
    lines.append(f"Machine: {m['nproc']} cores, {m['cpu']}, Linux {m['kernel']}; {m['swift']}; OpenBLAS {m['openblas']}; "
                 f"Python {m['python']} with {m['peers']}.")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
