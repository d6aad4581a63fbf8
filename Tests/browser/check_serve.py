#!/usr/bin/env python3
"""Opens `exp serve`'s pages in headless Chromium and checks them as a reader would see them.

    python3 Tests/browser/check_serve.py http://127.0.0.1:PORT SWEEP RUN OTHER_RUN [--growing RUN] [--live SWEEP]
        [--swap DB OTHER_DB] [--screenshot FILE]

Each page (the sweeps, SWEEP's leaderboard, run RUN, RUN and OTHER_RUN compared) is opened at
desktop width (1280 px) and at phone width (390 px). The check fails on an uncaught exception,
a console.error or console.assert message, a browser log entry of level error, a request to
another site than the server, or a page wider than the window. On the leaderboard it clicks
every header (as check_report.py does) and filters by the first hyperparameter. With --growing,
first the page of that run (which must be training) must show its stored epochs grow at least
twice and its learning curves redrawn, without a reload. With --live,
the sweeps page must show SWEEP's finished count change without a reload (a sweep runs while
the check does), and SWEEP's leaderboard page its table (the runs counted of its configurations)
change without a reload. With --swap (last, and with nothing writing to DB), run RUN's page
must say that DB was moved away, then that it is back; then, with OTHER_DB (another exp
database) moved over DB, the sweeps page must say the file was replaced and list SWEEP no more.
With --screenshot, the sweeps page at desktop width is saved as a PNG
(its top --screenshot-height pixels, default 900).
Exit status: 0 when every check passes, 1 when one fails, 2 when Chromium cannot be started.
"""

import argparse
import os
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_report import Chromium as Browser, BrowserError, check_sorting, find_chromium, screenshot  # noqa: E402

VIEWS = [("desktop", 1280, 900, False), ("phone", 390, 844, True)]

ROW_JS = """
((name) => {
  const row = Array.from(document.querySelectorAll("#sweeps tbody tr")).find(r => r.getAttribute("data-sweep") === name);
  return row ? row.querySelector("[data-key=finished]").textContent : null;
})(%s)
"""

BOARD_JS = """
(() => {
  const board = document.getElementById("board");
  return {text: board ? board.textContent : null, kept: window.__notReloaded === true,
          table: document.querySelector("#board table.sortable") !== null};
})()
"""

GROW_JS = """
(() => {
  const epochs = document.getElementById("epochs"), curves = document.getElementById("curves");
  return {status: document.getElementById("status").textContent, epochs: epochs ? Number(epochs.textContent) : null,
          curves: curves ? curves.innerHTML : null, kept: window.__notReloaded === true};
})()
"""

FILTER_JS = """
(() => {
  const select = document.querySelector("#filters select");
  if (!select || select.options.length < 3) return {skipped: true};
  const column = Number(select.getAttribute("data-column"));
  const table = document.querySelector("#board table.sortable");
  select.value = select.options[1].value;
  select.dispatchEvent(new Event("change"));
  const rows = Array.from(table.tBodies[0].rows);
  const shown = rows.filter(r => !r.hidden);
  return {value: select.value, total: rows.length, shown: shown.length,
          wrong: shown.filter(r => r.cells[column].textContent !== select.value).length};
})()
"""


def problems_in(events, origin):
    problems = []
    for event in events:
        method, params = event["method"], event.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            problems.append("uncaught exception: " + str(details.get("exception", {}).get("description") or details.get("text")))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            problems.append(f"console.{params['type']}: " + " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            problems.append(f"browser log error: {params['entry'].get('text')} {params['entry'].get('url', '')}".rstrip())
        elif method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if not url.startswith(origin + "/") and not url.startswith("data:"):
                problems.append(f"the page requested {url}")
    return problems


def open_view(browser, url, view):
    name, width, height, mobile = view
    browser.call("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
    browser.events.clear()
    browser.call("Page.navigate", {"url": url})
    browser.wait_for("Page.loadEventFired")
    browser.evaluate("new Promise(resolve => setTimeout(resolve, 1200))")  # an event from /api/events arrives


def live_leaderboard(browser, url, name):
    """The leaderboard page of a running sweep: its table must change within 60 s while the
    page stays loaded (a marker set on the window survives) and still be a sortable table."""
    open_view(browser, url, VIEWS[0])
    browser.evaluate("window.__notReloaded = true")
    first = browser.evaluate(BOARD_JS)
    seen = first
    deadline = time.monotonic() + 60
    while seen["text"] == first["text"] and time.monotonic() < deadline:
        browser.evaluate("new Promise(resolve => setTimeout(resolve, 500))")
        seen = browser.evaluate(BOARD_JS)
    if seen["text"] == first["text"]:
        return [f"live leaderboard: the table of {name} did not change in 60 s"]
    if not seen["kept"]:
        return [f"live leaderboard: the page of {name} was reloaded instead of updating its table"]
    if not seen["table"]:
        return [f"live leaderboard: the page of {name} has no sortable table after the update"]
    print(f"check_serve: live: the leaderboard table of {name} changed without a reload")
    return []


def growing_curve(browser, origin, run):
    """The page of a training run: within 60 s, while the run is still running and the page
    stays loaded, its count of stored epochs must take three increasing values and its curves'
    drawing must change."""
    open_view(browser, f"{origin}/runs/{run}", VIEWS[0])
    browser.evaluate("window.__notReloaded = true")
    first = browser.evaluate(GROW_JS)
    if first["status"] != "running":
        return [f"growing curve: run {run} is {first['status']!r}, not running"]
    counts, seen = [first["epochs"]], first
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (len(set(counts)) >= 3 and seen["curves"] != first["curves"]):
        browser.evaluate("new Promise(resolve => setTimeout(resolve, 500))")
        seen = browser.evaluate(GROW_JS)
        if not seen["kept"]:
            return [f"growing curve: the page of run {run} was reloaded (the run ended?) after epochs {counts}"]
        counts.append(seen["epochs"])
    if counts != sorted(counts):
        return [f"growing curve: the stored epochs of run {run} went back: {counts}"]
    if len(set(counts)) < 3 or seen["curves"] == first["curves"]:
        return [f"growing curve: run {run} showed epochs {sorted(set(counts))} in 60 s, curves redrawn: {seen['curves'] != first['curves']}"]
    print(f"check_serve: growing: the curve of run {run} grew through {sorted(set(counts))} epochs without a reload")
    return []


STATE_JS = """
(() => {
  const banner = document.getElementById("db-state");
  const rows = Array.from(document.querySelectorAll("#sweeps tbody tr")).filter(r => !r.hidden);
  return {banner: banner && !banner.hidden ? banner.textContent : "", kept: window.__notReloaded === true,
          sweeps: rows.map(r => r.getAttribute("data-sweep"))};
})()
"""


def wait_for_state(browser, done, seconds=20):
    """Polls the page's banner and sweep rows until `done(state)` or `seconds` pass; the last state."""
    deadline = time.monotonic() + seconds
    state = browser.evaluate(STATE_JS)
    while not done(state) and time.monotonic() < deadline:
        browser.evaluate("new Promise(resolve => setTimeout(resolve, 250))")
        state = browser.evaluate(STATE_JS)
    return state


def swapped_file(browser, origin, sweep, run, db, other):
    """The database moved away and back under an open run page, then another one moved over it
    under an open sweeps page: each page must say so without a reload."""
    problems = []
    name = Path(db).name
    open_view(browser, f"{origin}/runs/{run}", VIEWS[0])
    browser.evaluate("window.__notReloaded = true")
    os.rename(db, db + ".away")
    state = wait_for_state(browser, lambda s: "deleted or moved" in s["banner"])
    if "deleted or moved" not in state["banner"] or not state["kept"]:
        problems.append(f"swap: run {run}'s page does not say that {name} is gone: {state}")
    os.rename(db + ".away", db)
    state = wait_for_state(browser, lambda s: s["banner"] == f"{name} is back")
    if state["banner"] != f"{name} is back" or not state["kept"]:
        problems.append(f"swap: run {run}'s page does not say that {name} is back: {state}")
    open_view(browser, origin + "/", VIEWS[0])
    browser.evaluate("window.__notReloaded = true")
    before = browser.evaluate(STATE_JS)
    os.replace(other, db)
    state = wait_for_state(browser, lambda s: "replaced" in s["banner"] and sweep not in s["sweeps"] and s["sweeps"])
    if "replaced" not in state["banner"] or sweep in state["sweeps"] or not state["sweeps"] or not state["kept"]:
        problems.append(f"swap: the sweeps page showed {before} and then, with another file in place, {state}")
    if not problems:
        print(f"check_serve: swap: the pages said {name} was gone, back and replaced; the sweeps went from "
              f"{before['sweeps']} to {state['sweeps']} without a reload")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("origin")
    parser.add_argument("sweep")
    parser.add_argument("run")
    parser.add_argument("other")
    parser.add_argument("--growing", metavar="RUN")
    parser.add_argument("--live", metavar="SWEEP")
    parser.add_argument("--swap", nargs=2, metavar=("DB", "OTHER_DB"))
    parser.add_argument("--screenshot", metavar="FILE")
    parser.add_argument("--screenshot-height", type=int, default=900, metavar="PX")
    parser.add_argument("--chromium")
    args = parser.parse_args()
    executable = args.chromium or find_chromium()
    if not executable:
        print("check_serve: chromium not found", file=sys.stderr)
        return 2
    origin = args.origin.rstrip("/")
    pages = [origin + "/", f"{origin}/sweeps/{quote(args.sweep, safe='')}", f"{origin}/runs/{args.run}",
             f"{origin}/compare?runs={args.run},{args.other}"]
    problems = []
    try:
        browser = Browser(executable)
    except (BrowserError, OSError) as error:
        print(f"check_serve: cannot start {executable}: {error}", file=sys.stderr)
        return 2
    try:
        browser.open_page()
        if args.growing:
            problems += growing_curve(browser, origin, args.growing)
            problems += [f"growing curve: {p}" for p in problems_in(browser.events, origin)]
        if args.live:
            open_view(browser, pages[0], VIEWS[0])
            first = browser.evaluate(ROW_JS % repr(args.live))
            seen = first
            deadline = time.monotonic() + 60
            while seen == first and time.monotonic() < deadline:
                browser.evaluate("new Promise(resolve => setTimeout(resolve, 500))")
                seen = browser.evaluate(ROW_JS % repr(args.live))
            if seen == first:
                problems.append(f"live: the sweeps page still shows {first!r} finished runs of {args.live} after 60 s")
            else:
                print(f"check_serve: live: {args.live} finished runs went from {first} to {seen} without a reload")
            problems += [f"live: {p}" for p in problems_in(browser.events, origin)]
            problems += live_leaderboard(browser, f"{origin}/sweeps/{quote(args.live, safe='')}", args.live)
            problems += [f"live leaderboard: {p}" for p in problems_in(browser.events, origin)]
        for url in pages:
            for view in VIEWS:
                open_view(browser, url, view)
                found = []
                layout = browser.evaluate("({page: document.documentElement.scrollWidth, window: window.innerWidth})")
                if layout["page"] > layout["window"]:
                    found.append(f"the page is {layout['page']} px wide in a {layout['window']} px window")
                if "/sweeps/" in url:
                    sorting, _ = check_sorting(browser)
                    found += sorting
                    result = browser.evaluate(FILTER_JS)
                    if not result.get("skipped") and (result["wrong"] or result["shown"] >= result["total"]):
                        found.append(f"filtering by {result['value']!r} shows {result['shown']} of {result['total']} rows, "
                                     f"{result['wrong']} with another value")
                if url == pages[0] and view[0] == "desktop" and args.screenshot:
                    screenshot(browser, args.screenshot, view[1], args.screenshot_height)
                browser.evaluate("0")
                found += problems_in(browser.events, origin)
                problems += [f"{url} ({view[0]}): {p}" for p in found]
        if args.swap:
            problems += swapped_file(browser, origin, args.sweep, args.run, *args.swap)
    finally:
        browser.close()
    for problem in problems:
        print(f"check_serve: {problem}", file=sys.stderr)
    if not problems:
        print(f"check_serve: {len(pages)} pages at {len(VIEWS)} widths: no errors, no foreign requests, fit, sorting and filtering work")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
