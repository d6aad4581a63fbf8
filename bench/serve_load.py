"""Serving while a sweep runs (docs/benchmarks.md): the same sweep with `exp serve` under load
and with no server, alternating, and the load's requests, errors and latencies.

    python3 bench/serve_load.py --exp .build/release/exp [--pairs 3] [--clients 100] [--seconds 30]

Standard library only; bench/serve_load.sh builds the release exp and runs this. One side "with
server": the sweep starts into a fresh database; as soon as the file is readable `exp serve
--port 0` starts on it; then --clients clients each hold one Server-Sent Events stream open
(/api/events, checking that event ids arrive in order without a gap) and, for --seconds, poll
the pages and API endpoints the live view uses, one request every --interval seconds each, as a
browser with the live view open does (the sweeps page, a leaderboard page and its table
fragment, the leaderboard's JSON, a run's page, its JSON with every stored epoch, its curves
fragment, the script, the status). The server stays up until the sweep ends. The other side
runs the same sweep with no server. Each side's wall time and CPU time (user + system of the
sweep process and its threads, from wait4) are measured, with the 1-minute load average of the
machine sampled every second while the sweep runs. An error is any answer that is not 2xx, and
any connection failure or timeout.
"""
import argparse
import http.client
import json
import os
import re
import resource
import signal
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_average():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def percentile(values, p):
    """The p-th percentile (0-100) by the nearest-rank method; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def prepare_grid(source, seeds, work):
    """The grid `source` with its seeds replaced by 1...seeds and its data path made absolute,
    written into `work`; `source` itself when seeds is 0."""
    if seeds == 0:
        return source
    with open(source) as f:
        grid = json.load(f)
    grid["dataset"] = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(source)), grid["dataset"]))
    grid["seeds"] = list(range(1, seeds + 1))
    path = os.path.join(work, "grid.json")
    with open(path, "w") as f:
        json.dump(grid, f, indent=1)
    return path


class Sampler(threading.Thread):
    """The 1-minute load average, sampled every second until stopped."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples = []
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            self.samples.append(load_average())
            self.stopped.wait(1.0)

    def summary(self):
        self.stopped.set()
        self.join()
        s = self.samples or [load_average()]
        return {"start": s[0], "end": s[-1], "mean": round(sum(s) / len(s), 2)}


def remove_database(db):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)


def start_sweep(exp, grid, db, jobs):
    remove_database(db)
    command = [exp, "sweep", grid, "--db", db, "--jobs", str(jobs), "--quiet"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE), time.monotonic()


def finish(process, started):
    """Waits for `process`; its wall seconds, CPU seconds (user + system) and exit status."""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, process.returncode


def start_server(exp, db, sweep, niceness=0):
    """`exp serve --port 0` on db once the file is readable, at `nice -n niceness` when not 0;
    (process, port, started)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if sweep.poll() is not None:
            raise RuntimeError("the sweep ended before the server could start")
        if not os.path.exists(db):
            time.sleep(0.05)
            continue
        command = [exp, "serve", "--db", db, "--port", "0"]
        server = subprocess.Popen((["nice", "-n", str(niceness)] if niceness else []) + command, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        started = time.monotonic()
        line = server.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if match:
            return server, int(match.group(1)), started
        server.wait()
        time.sleep(0.1)  # the file exists but is not a database yet
    raise RuntimeError("exp serve did not start: " + server.stderr.read())


def stop_server(server, started):
    server.send_signal(signal.SIGINT)
    wall, cpu, status = finish(server, started)
    if status != 130:
        raise RuntimeError("exp serve exited %d: %s" % (status, server.stderr.read()))
    return wall, cpu


class Tally:
    """Requests, errors and latencies of every client, by path kind."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = {}
        self.errors = {}
        self.events = 0
        self.gaps = 0
        self.streams = 0

    def request(self, kind, seconds, error):
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            if error:
                self.errors[error] = self.errors.get(error, 0) + 1

    def error(self, error):
        with self.lock:
            self.errors[error] = self.errors.get(error, 0) + 1


def poll_client(port, paths, deadline, interval, offset, tally):
    """One browser's requests, one every `interval` seconds, over one kept-alive connection."""
    connection = None
    i = offset
    while time.monotonic() < deadline:
        kind, path = paths[i % len(paths)]
        i += 1
        began = time.monotonic()
        error = None
        try:
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if not 200 <= response.status < 300:
                error = "%d %s" % (response.status, kind)
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = None
        except (OSError, http.client.HTTPException) as e:
            error = "%s %s" % (type(e).__name__, kind)
            if connection is not None:
                connection.close()
            connection = None
        tally.request(kind, time.monotonic() - began, error)
        time.sleep(max(0.0, interval - (time.monotonic() - began)))
    if connection is not None:
        connection.close()


def stream_client(port, deadline, tally):
    """One /api/events stream held open until the deadline; event ids must follow each other."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    last = None
    try:
        connection.request("GET", "/api/events")
        response = connection.getresponse()
        if response.status != 200:
            tally.error("%d events" % response.status)
            return
        with tally.lock:
            tally.streams += 1
        while time.monotonic() < deadline:
            line = response.readline()
            if not line:
                tally.error("events stream closed")
                return
            if line.startswith(b"id: "):
                event = int(line[4:])
                with tally.lock:
                    tally.events += 1
                    if last is not None and event != last + 1:
                        tally.gaps += 1
                last = event
    except (OSError, http.client.HTTPException, ValueError) as e:
        if time.monotonic() < deadline:
            tally.error("%s events" % type(e).__name__)
    finally:
        connection.close()


def first_run(port):
    """Run 1, once the server shows it (the sweep's first run: a live view shows its curve)."""
    for _ in range(300):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/api/runs/1")
        response = connection.getresponse()
        response.read()
        connection.close()
        if response.status == 200:
            return 1
        time.sleep(0.1)
    raise RuntimeError("no run 1 in the database after 30 s")


def load(port, sweep_name, clients, seconds, interval):
    """--clients clients for --seconds: one event stream and one polling loop each."""
    run = first_run(port)
    name = sweep_name
    paths = [
        ("page /", "/"),
        ("api sweeps", "/api/sweeps"),
        ("page leaderboard", "/sweeps/%s" % name),
        ("fragment table", "/sweeps/%s/table" % name),
        ("api leaderboard", "/api/sweeps/%s/leaderboard" % name),
        ("page run", "/runs/%d" % run),
        ("api run", "/api/runs/%d" % run),
        ("fragment curves", "/runs/%d/curves" % run),
        ("asset live.js", "/assets/live.js"),
        ("api status", "/api/status"),
    ]
    tally = Tally()
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=stream_client, args=(port, deadline, tally)) for _ in range(clients)]
    threads += [threading.Thread(target=poll_client, args=(port, paths, deadline, interval, i, tally))
                for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    every = [s for values in tally.latencies.values() for s in values]
    per_kind = {}
    for kind, values in sorted(tally.latencies.items()):
        per_kind[kind] = {"requests": len(values), "p50_ms": ms(percentile(values, 50)),
                          "p99_ms": ms(percentile(values, 99)), "max_ms": ms(max(values))}
    return {
        "clients": clients, "seconds": seconds, "interval": interval,
        "requests": len(every), "errors": sum(tally.errors.values()), "error_kinds": tally.errors,
        "p50_ms": ms(percentile(every, 50)), "p90_ms": ms(percentile(every, 90)),
        "p99_ms": ms(percentile(every, 99)), "max_ms": ms(max(every) if every else None),
        "streams": tally.streams, "events": tally.events, "event_gaps": tally.gaps,
        "by_path": per_kind,
        "client_cpu_seconds": round(cpu_after.ru_utime + cpu_after.ru_stime
                                    - cpu_before.ru_utime - cpu_before.ru_stime, 2),
    }


def ms(seconds):
    return None if seconds is None else round(seconds * 1000, 1)


def side(args, grid, db, with_server):
    sampler = Sampler()
    sampler.start()
    sweep, started = start_sweep(args.exp, grid, db, args.jobs)
    result = {"server": with_server}
    if with_server:
        server, port, server_started = start_server(args.serve_exp or args.exp, db, sweep, args.serve_nice)
        # The sweep is reaped the moment it ends, while the clients may still be polling: its
        # wall time must not include the rest of the load period.
        ended = {}
        reaper = threading.Thread(target=lambda: ended.update(outcome=finish(sweep, started)))
        reaper.start()
        result["load"] = load(port, args.sweep_name, args.clients, args.seconds, args.interval)
        reaper.join()
        wall, cpu, status = ended["outcome"]
        result["server_wall_seconds"], result["server_cpu_seconds"] = (round(v, 2) for v in stop_server(server, server_started))
    else:
        wall, cpu, status = finish(sweep, started)
    if status != 0:
        raise RuntimeError("exp sweep exited %d: %s" % (status, sweep.stderr.read().decode()))
    result.update(wall_seconds=round(wall, 2), cpu_seconds=round(cpu, 2), load_average=sampler.summary())
    return result


def verdict(ratio, limit):
    return "met" if ratio <= 1 + limit else "not met"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--exp", required=True, help="the exp binary (release)")
    parser.add_argument("--serve-exp", help="another exp binary for `exp serve` (default: --exp)")
    parser.add_argument("--serve-nice", type=int, default=0,
                        help="run `exp serve` at this niceness (e.g. 10: the sweep gets the CPU first)")
    parser.add_argument("--grid", default=os.path.join(ROOT, "Data/grids/iris.json"))
    parser.add_argument("--seeds", type=int, default=8,
                        help="replace the grid's seeds by 1...N, to make the sweep last longer (0: keep)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--pairs", type=int, default=3, help="pairs of sides, each with server then without")
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between one client's requests")
    parser.add_argument("--work", default=os.path.join(ROOT, "bench/.work/serve_load"))
    parser.add_argument("--out", help="also write the results as JSON here")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    grid = prepare_grid(args.grid, args.seeds, args.work)
    with open(grid) as f:
        args.sweep_name = json.load(f)["name"]
    db = os.path.join(args.work, "runs.db")
    pairs = []
    for n in range(args.pairs):
        served = side(args, grid, db, True)
        print("pair %d with server: %s" % (n + 1, json.dumps(served)), file=sys.stderr, flush=True)
        alone = side(args, grid, db, False)
        print("pair %d no server: %s" % (n + 1, json.dumps(alone)), file=sys.stderr, flush=True)
        pairs.append({"with_server": served, "no_server": alone,
                      "wall_ratio": round(served["wall_seconds"] / alone["wall_seconds"], 3),
                      "cpu_ratio": round(served["cpu_seconds"] / alone["cpu_seconds"], 3)})
    remove_database(db)
    report(args, pairs)


def report(args, pairs):
    print("| pair | side | sweep wall s | sweep CPU s | load avg (start / mean / end) | server CPU s | requests | errors | p50 / p90 / p99 / max ms | SSE streams, events, gaps |")
    print("|---|---|---:|---:|---|---:|---:|---:|---|---|")
    for n, p in enumerate(pairs, 1):
        for label, key in (("with server", "with_server"), ("no server", "no_server")):
            s = p[key]
            la = s["load_average"]
            row = [str(n), label, "%.1f" % s["wall_seconds"], "%.1f" % s["cpu_seconds"],
                   "%.2f / %.2f / %.2f" % (la["start"], la["mean"], la["end"])]
            if "load" in s:
                l = s["load"]
                row += ["%.1f" % s["server_cpu_seconds"], str(l["requests"]), str(l["errors"]),
                        "%s / %s / %s / %s" % (l["p50_ms"], l["p90_ms"], l["p99_ms"], l["max_ms"]),
                        "%d, %d, %d" % (l["streams"], l["events"], l["event_gaps"])]
            else:
                row += ["–", "–", "–", "–", "–"]
            print("| " + " | ".join(row) + " |")
    print()
    print("| pair | wall with / without | CPU with / without | wall within 10% | CPU within 10% |")
    print("|---|---:|---:|---|---|")
    for n, p in enumerate(pairs, 1):
        print("| %d | %.3f | %.3f | %s | %s |" % (n, p["wall_ratio"], p["cpu_ratio"],
                                                 verdict(p["wall_ratio"], 0.10), verdict(p["cpu_ratio"], 0.10)))
    # The least of each side's repeats (timeit's rule: on a shared machine noise only adds time,
    # and the same sweep's CPU time varies by up to a third between minutes here).
    least = {key: {m: min(p[key][m] for p in pairs) for m in ("wall_seconds", "cpu_seconds")}
             for key in ("with_server", "no_server")}
    wall = least["with_server"]["wall_seconds"] / least["no_server"]["wall_seconds"]
    cpu = least["with_server"]["cpu_seconds"] / least["no_server"]["cpu_seconds"]
    print("| least of %d | %.3f | %.3f | %s | %s |" % (len(pairs), wall, cpu, verdict(wall, 0.10), verdict(cpu, 0.10)))
    errors = {}
    for p in pairs:
        for kind, count in p["with_server"]["load"]["error_kinds"].items():
            errors[kind] = errors.get(kind, 0) + count
    print()
    print("errors by kind: %s" % (json.dumps(errors) if errors else "none"))
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"pairs": pairs, "clients": args.clients, "seconds": args.seconds, "interval": args.interval,
                       "jobs": args.jobs, "grid": args.grid, "seeds": args.seeds}, f, indent=1)


if __name__ == "__main__":
    main()
