"""Measures the five targets of docs/benchmarks.md with exp, the scalar C loop (bench/c/mlp.c)
and the Python peers, and prints each target with its measured ratio and "met" / "not met".
Started by bench/run.sh (which builds exp and the C loop and installs the peers); uses only the
standard library itself. The machine may be shared: every comparison is measured back to back in
one run, ratios are taken from CPU seconds (wall times beside them), and the Iris ratio to the C
loop is also given in instructions counted by callgrind when valgrind is installed. Work files go to bench/.work/ (git-ignored); the raw numbers to
bench/.work/results.json.

    python bench/run.py [--quick] [--target 3]

`--target 3` measures only target 3, the storing cost: the 816-run sweep stored vs. nothing
stored at 2 jobs, and the live epoch rows (a sweep of long runs with and without them).
"""
import argparse
import json
import re
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "bench", ".work")
BIN = os.path.join(ROOT, ".build", "release")
PY = sys.executable
# The scalar C loop of target 1, built by bench/run.sh with gcc -O2.
C_MLP = os.path.join(WORK, "mlp")

# exp runs in the environment it was given; the Python peers on one thread, without the
# OpenBLAS core-type overrides some machines set for older OpenBLAS builds.
PEER_ENV = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
PEER_ENV.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")


def log(message):
    print(message, file=sys.stderr, flush=True)


def run_json(cmd, env=None):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def timed(cmd, env=None):
    """Runs `cmd`; returns (wall seconds, CPU seconds of the process and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env, cwd=ROOT)
    wall_time = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall_time, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def fresh(path):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def median(xs):
    return statistics.median(xs) if xs else None


def load_average():
    return float(open("/proc/loadavg").read().split()[0])


def train_workload(data, hidden, batch, epochs, repeats, peers, with_c=False):
    """Median wall and CPU seconds per run of exp, the C loop (Iris only) and the Python peers,
    measured back to back."""
    args = ["--data", data, "--hidden", hidden, "--batch", str(batch), "--epochs", str(epochs),
            "--repeats", str(repeats)]
    load = load_average()
    exp = run_json([os.path.join(BIN, "exp-bench"), "train"] + args)
    result = {"exp": median(exp["times"]), "exp_cpu": median(exp["cpu_times"]), "rows": exp["rows"]}
    if with_c:
        c = run_json([C_MLP, "--data", os.path.join(ROOT, "Data", "iris.data")] + args[2:])
        result["c"], result["c_cpu"] = median(c["times"]), median(c["cpu_times"])
    others = run_json([PY, os.path.join(ROOT, "bench", "peers.py"), "--peers", ",".join(peers)] + args, env=PEER_ENV)
    for peer, value in others.items():
        if "times" in value:
            result[peer], result[peer + "_cpu"] = median(value["times"]), median(value["cpu_times"])
        else:
            result[peer] = value["error"]
    result["load_average"] = [load, load_average()]
    return result


def instructions(batch, epochs):
    """Instructions executed inside the training function of exp (NeuralNet.train) and of the C
    loop (`train`), one run each, counted by callgrind: the ratio this noisy machine repeats."""
    if not shutil.which("valgrind") or not shutil.which("objcopy"):
        return None
    # Valgrind cannot read a Swift release build's DWARF 5 debug information.
    stripped = os.path.join(WORK, "exp-bench-stripped")
    subprocess.run(["objcopy", "--strip-debug", os.path.join(BIN, "exp-bench"), stripped], check=True)
    counts = {}
    for name, cmd, symbol in (
            ("exp", [stripped, "train", "--data", "iris", "--hidden", "8"], "$s9NeuralNet5train_2on*"),
            ("c", [C_MLP, "--data", os.path.join(ROOT, "Data", "iris.data"), "--hidden", "8"], "train")):
        out = os.path.join(WORK, f"callgrind.{name}.{batch}")
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", f"--toggle-collect={symbol}"]
                       + cmd + ["--batch", str(batch), "--epochs", str(epochs), "--repeats", "0"],
                       check=True, capture_output=True, cwd=ROOT)
        summary = next(line for line in open(out) if line.startswith("summary:") or line.startswith("totals:"))
        counts[name] = int(summary.split()[1])
    return counts


def sweep_workload(quick, jobs_list, pairs):
    """A sweep of 816 Iris runs (24 configurations x 34 seeds, 1,000 epochs each) with
    `exp sweep` into a fresh database against `exp-bench sweep-nostore` (the same training,
    nothing kept), at each number of jobs; `pairs` pairs at 2 jobs."""
    seeds = 8 if quick else 34
    grid = os.path.join(WORK, "grid.json")
    runs = run_json([os.path.join(BIN, "exp-bench"), "grid", "--out", grid, "--seeds", str(seeds)])["runs"]
    db = os.path.join(WORK, "sweep.db")
    sweep = {"runs": runs, "stored": {}, "nostore": {}, "load_average": {}}
    for jobs in jobs_list:
        for r in range(1 if quick or jobs != 2 else pairs):
            log(f"targets 3/4: sweep of {runs} runs, {jobs} job(s), repeat {r + 1}")
            fresh(db)
            sweep["load_average"].setdefault(jobs, []).append(load_average())
            sweep["stored"].setdefault(jobs, []).append(
                timed([os.path.join(BIN, "exp"), "sweep", grid, "--db", db, "--jobs", str(jobs), "--quiet"]))
            sweep["nostore"].setdefault(jobs, []).append(
                timed([os.path.join(BIN, "exp-bench"), "sweep-nostore", "--grid", grid, "--jobs", str(jobs)]))
    sweep["metric_rows"] = int(subprocess.run(["sqlite3", db, "SELECT COUNT(*) FROM epoch_metrics"],
                                              capture_output=True, text=True).stdout.strip() or 0) \
        if shutil.which("sqlite3") else None
    fresh(db)
    return sweep


def live_epoch_rows(quick, repeats):
    """What storing a running run's epoch rows about once a second costs (issue 17's live view):
    24 Iris runs of 100,000 epochs (each several seconds on an idle core, so each flushes several
    times: a run flushes only after its first second), 2 jobs, stored with the live rows (what exp
    does), stored without them (rows with the result only), and trained with nothing stored; the
    three back to back, `repeats` times. Records the flushing runs' mean duration, which must be
    well above a second for the comparison to mean anything."""
    epochs = 3000 if quick else 100000
    grid = os.path.join(WORK, "grid-long.json")
    runs = run_json([os.path.join(BIN, "exp-bench"), "grid", "--out", grid, "--seeds", "1", "--epochs", str(epochs)])["runs"]
    db = os.path.join(WORK, "sweep-long.db")
    live = {"runs": runs, "epochs": epochs, "flush": [], "noflush": [], "nostore": [], "load_average": [],
            "flush_run_seconds": []}
    for r in range(1 if quick else repeats):
        for kind in ("flush", "noflush", "nostore"):
            log(f"target 3, live epoch rows: {runs} runs of {epochs} epochs, {kind}, repeat {r + 1}")
            live["load_average"].append(load_average())
            if kind == "nostore":
                cmd = [os.path.join(BIN, "exp-bench"), "sweep-nostore", "--grid", grid, "--jobs", "2"]
            else:
                cmd = [os.path.join(BIN, "exp-bench"), "sweep", "--grid", grid, "--db", db, "--jobs", "2",
                       "--flush", "on" if kind == "flush" else "off"]
            live[kind].append(timed(cmd))
            if kind == "flush" and shutil.which("sqlite3"):
                live["flush_run_seconds"].append(float(subprocess.run(
                    ["sqlite3", db, "SELECT AVG(duration_seconds) FROM runs"], capture_output=True, text=True).stdout.strip() or 0))
            fresh(db)
    live["load_average"].append(load_average())
    return live


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer repeats and a smaller sweep (a smoke test)")
    ap.add_argument("--pairs", type=int, default=3,
                    help="stored / not stored pairs of target 3 at 2 jobs, and repeats of the live epoch rows (3)")
    ap.add_argument("--target", type=int, choices=[3],
                    help="measure only this target (3: the storing cost, with the live epoch rows)")
    args = ap.parse_args()
    os.makedirs(WORK, exist_ok=True)
    reps = 3 if args.quick else 7
    results = {}
    if args.target == 3:
        results["sweep"] = sweep_workload(args.quick, jobs_list=(2,), pairs=args.pairs)
        save(results)
        results["live"] = live_epoch_rows(args.quick, args.pairs)
        results["machine"] = machine()
        save(results)
        print("\n".join(storing_lines(results)))
        return

    # Target 1. Iris 4-8-3, 1,000 epochs, 120 rows, full batch and batch 16: seconds per run.
    for batch in (120, 16):
        log(f"target 1: Iris 4-8-3, batch {batch}")
        results[f"iris_b{batch}"] = train_workload("iris", "8", batch, 1000, reps, ["numpy", "sklearn", "torch"],
                                                   with_c=True)
        results[f"iris_b{batch}"]["instructions"] = instructions(batch, 1000)
        save(results)

    # Target 2. Digits 64-128-10, batch 32, 100 epochs: rows per second.
    log("target 2: Digits 64-128-10")
    results["digits"] = train_workload("digits", "128", 32, 100 if not args.quick else 20, 3,
                                       ["numpy", "torch", "torch-float32"])
    results["digits"]["epochs"] = 100 if not args.quick else 20
    save(results)

    # Targets 3 and 4. A sweep of 816 Iris runs: stored vs. nothing stored at 2 jobs; CPU
    # seconds per run at 1, 2 and 4 jobs. Then the live epoch rows of target 3.
    results["sweep"] = sweep_workload(args.quick, jobs_list=(2, 1, 4), pairs=args.pairs)
    save(results)
    results["live"] = live_epoch_rows(args.quick, args.pairs)
    save(results)

    # Target 5. Planning the million-cell grid.
    log("target 5: planning the million-cell grid")
    plan = subprocess.run(["bash", os.path.join(ROOT, "bench", "plan_million.sh"), os.path.join(BIN, "exp")],
                          capture_output=True, text=True, cwd=ROOT)
    results["plan"] = plan.stdout.strip() or plan.stderr.strip()

    # The store: metric rows per second through RunStore.record, bytes per row, exp report time.
    store_runs = 2000 if args.quick else 10000
    log(f"store: {store_runs} runs x 100 epochs")
    store_db = os.path.join(WORK, "store.db")
    store = run_json([os.path.join(BIN, "exp-bench"), "store", "--db", store_db, "--runs", str(store_runs),
                      "--epochs", "100"])
    # The same writes with 1,000 epochs per run (an Iris run of the sweep): rows per second
    # without most of the per-run costs.
    long_runs = run_json([os.path.join(BIN, "exp-bench"), "store", "--db", os.path.join(WORK, "store-long.db"),
                          "--runs", "300", "--epochs", "1000"])
    fresh(os.path.join(WORK, "store-long.db"))
    store["long_runs_rows_per_second"] = long_runs["metric_rows_per_second"]
    report_times = []
    for _ in range(3):
        out = os.path.join(WORK, "report")
        shutil.rmtree(out, ignore_errors=True)
        report_times.append(timed([os.path.join(BIN, "exp"), "report", "--db", store_db, "--out", out])[0])
    store["report_seconds"] = report_times
    results["store"] = store
    fresh(store_db)

    results["machine"] = machine()
    save(results)
    print(table(results))


def save(results):
    """Writes the raw numbers measured so far to bench/.work/results.json."""
    with open(os.path.join(WORK, "results.json"), "w") as f:
        json.dump(results, f, indent=1, default=str)


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
            "kernel": platform.release(), "gcc": version(["gcc", "--version"])}


def storing_lines(r):
    """Target 3's line (the 816-run sweep, 2 jobs) and the live epoch rows' line. Each figure is
    the least of its repeats (timeit's rule: on a shared machine noise only adds time, and here
    the same work's CPU time varies by up to a third between minutes, more than the budget)."""
    s, live = r["sweep"], r["live"]

    def least(kind, i, d=s):
        return min([t[i] for t in (d[kind][2] if d is s else d[kind])])

    def pct(a, b):
        return (a / b - 1) * 100
    st2, ns2 = least("stored", 0), least("nostore", 0)
    overhead, cpu_overhead = pct(st2, ns2), pct(least("stored", 1), least("nostore", 1))
    ok = overhead <= 5 and cpu_overhead <= 5
    loads = s["load_average"][2]
    lines = [f"| 3. sweep of {s['runs']} Iris runs, 2 jobs: every epoch stored vs. nothing stored (least of {len(s['stored'][2])}) | "
             f"wall {st2:.2f} s vs. {ns2:.2f} s: {overhead:+.1f}% (CPU {least('stored', 1):.2f} s vs. {least('nostore', 1):.2f} s: "
             f"{cpu_overhead:+.1f}%; load average {min(loads):.1f}–{max(loads):.1f}) | – | – | – | – | "
             f"at most +5%, wall and CPU | {'met' if ok else 'not met'} |"]
    w = {k: least(k, 0, live) for k in ("flush", "noflush", "nostore")}
    c = {k: least(k, 1, live) for k in ("flush", "noflush", "nostore")}
    la = live["load_average"]
    lines.append("")
    lines.append(f"Live epoch rows ({live['runs']} Iris runs of {live['epochs']:,} epochs, 2 jobs, least of "
                 f"{len(live['flush'])}; load average {min(la):.1f}–{max(la):.1f}; the flushing runs lasted "
                 f"{min(live['flush_run_seconds'], default=0):.1f}–{max(live['flush_run_seconds'], default=0):.1f} s "
                 f"on average): stored with the live rows "
                 f"wall {w['flush']:.2f} s, CPU {c['flush']:.2f} s; stored without them wall {w['noflush']:.2f} s, "
                 f"CPU {c['noflush']:.2f} s; nothing stored wall {w['nostore']:.2f} s, CPU {c['nostore']:.2f} s. "
                 f"The flush costs {pct(c['flush'], c['noflush']):+.1f}% CPU ({pct(w['flush'], w['noflush']):+.1f}% wall); "
                 f"storing with it {pct(c['flush'], c['nostore']):+.1f}% CPU ({pct(w['flush'], w['nostore']):+.1f}% wall) "
                 f"against nothing stored: "
                 f"{'within' if pct(c['flush'], c['nostore']) <= 5 and pct(w['flush'], w['nostore']) <= 5 else 'not within'} "
                 f"the +5% budget.")
    return lines


def table(r):
    """The five targets of issue 18, each with its measured ratios and "met" / "not met", then
    the store's figures. Ratios are the peer's CPU seconds over exp's (above 1: exp is faster),
    from runs measured back to back; wall times are shown beside them."""
    def ms(x):
        return f"{x * 1000:.1f} ms" if isinstance(x, float) else "n/a"

    def met(ok):
        return "met" if ok else "not met"

    def ratio(w, peer):
        p, e = w.get(peer + "_cpu"), w["exp_cpu"]
        return p / e if isinstance(p, float) and isinstance(e, float) and e > 0 else None

    def cell(w, peer):
        q = ratio(w, peer)
        return f"{ms(w.get(peer + '_cpu'))} ({q:.1f}x)" if q is not None else "n/a"

    lines = ["| target | exp | scalar C | NumPy | scikit-learn | PyTorch, 1 thread | goal | result |",
             "|---|---|---|---|---|---|---|---|"]
    for batch in (120, 16):
        w = r[f"iris_b{batch}"]
        goals = (("c", 2), ("numpy", 5), ("sklearn", 30), ("torch", 30))
        ok = all((ratio(w, p) or 0) >= t for p, t in goals)
        ins = w.get("instructions")
        ins_note = (f"; instructions {ins['exp'] / 1e6:.0f} M vs. C {ins['c'] / 1e6:.0f} M ({ins['c'] / ins['exp']:.2f}x)"
                    if ins else "")
        lines.append(f"| 1. Iris 4-8-3, 1,000 epochs, {w['rows']} rows, batch {batch}: CPU time per run "
                     f"(wall {ms(w['exp'])}{ins_note}) | {ms(w['exp_cpu'])} | {cell(w, 'c')} | {cell(w, 'numpy')} | "
                     f"{cell(w, 'sklearn')} | {cell(w, 'torch')} | 2x C, 5x NumPy, 30x sklearn, 30x PyTorch | "
                     f"{met(ok)} |")
    d = r["digits"]
    rows = d["rows"] * d["epochs"]

    def rps(x):
        return f"{rows / x:,.0f} rows/s" if isinstance(x, float) else "n/a"

    def dcell(peer):
        q = ratio(d, peer)
        return f"{rps(d.get(peer + '_cpu'))} ({q:.1f}x)" if q is not None else "n/a"
    ok = (ratio(d, "numpy") or 0) >= 1.5 and (ratio(d, "torch") or 0) >= 4
    lines.append(f"| 2. Digits 64-128-10, batch 32, {d['epochs']} epochs: training rows per CPU second, float64 "
                 f"(PyTorch float32: {dcell('torch-float32')}) | {rps(d['exp_cpu'])} | – | {dcell('numpy')} | – | "
                 f"{dcell('torch')} | 1.5x NumPy, 4x PyTorch | {met(ok)} |")
    s = r["sweep"]

    def wall_of(kind, jobs):
        return median([t[0] for t in s[kind][jobs]])

    def cpu_of(kind, jobs):
        return median([t[1] for t in s[kind][jobs]])
    lines.append(storing_lines(r)[0])
    per_run = {j: cpu_of("stored", j) / s["runs"] for j in (1, 2, 4)}
    eff = {j: per_run[j] / per_run[1] for j in (2, 4)}
    speed = {j: wall_of("stored", 1) / wall_of("stored", j) for j in (2, 4)}
    loads = {j: median(s["load_average"][j]) for j in (1, 2, 4)}
    lines.append(f"| 4. the same sweep stored, 1 / 2 / 4 jobs: CPU seconds per run | "
                 f"{per_run[1] * 1000:.1f} / {per_run[2] * 1000:.1f} / {per_run[4] * 1000:.1f} ms "
                 f"(2 jobs {eff[2]:.2f}x, 4 jobs {eff[4]:.2f}x of 1 job); wall speed-up {speed[2]:.2f}x / {speed[4]:.2f}x "
                 f"at load average {loads[1]:.1f} / {loads[2]:.1f} / {loads[4]:.1f} on {os.cpu_count()} cores | – | – | – | – | "
                 f"2 and 4 jobs within 10% of 1 job | {met(max(eff.values()) <= 1.10)} |")
    plan = r["plan"]
    m = re.search(r"ready to train in ([0-9.]+) s, peak memory ([0-9]+) MB", plan)
    ok = bool(m) and float(m.group(1)) <= 15 and int(m.group(2)) <= 500
    lines.append(f"| 5. planning the 1,000,000-cell grid (bench/plan_million.sh) | {plan} | – | – | – | – | "
                 f"ready in at most 15 s, at most 500 MB | {met(ok)} |")
    lines += storing_lines(r)[1:]
    st = r["store"]
    rep = median(st["report_seconds"])
    per_row = st["file_bytes"] / st["metric_rows"]
    table_bytes = st.get("epoch_metrics_bytes")
    table_note = f"; epoch_metrics table {table_bytes / st['metric_rows']:.0f} B" if isinstance(table_bytes, int) else ""
    lines.append("")
    lines.append(f"Store (RunStore.record, {st['runs']:,} runs x 100 epochs, weights included): "
                 f"{st['metric_rows_per_second']:,.0f} metric rows/s; with 1,000 epochs per run "
                 f"{st['long_runs_rows_per_second']:,.0f} rows/s; {per_row:.0f} B of runs.db per metric row{table_note}; "
                 f"`exp report` over {st['runs']:,} runs {rep:.2f} s.")
    mc = r["machine"]
    lines.append("")
    lines.append(f"Machine: {mc['nproc']} cores, {mc['cpu']}, Linux {mc['kernel']}; {mc['swift']}; OpenBLAS {mc['openblas']}; "
                 f"{mc['gcc']}; Python {mc['python']} with {mc['peers']}; load average "
                 f"{r['iris_b120']['load_average'][0]:.1f} at the start, {load_average():.1f} at the end.")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
