#!/usr/bin/env python3
"""Renders an `exp report` HTML page in headless Chromium and checks it as a reader would see it.

    python3 Tests/browser/check_report.py reports/leaderboard.html [more pages] [--screenshots DIR]

The page is opened four times: at desktop width (1280 px) in the light theme, at desktop width
in the dark theme, at phone width (390 px), and on a wide screen (1920 px). Each time the check
fails on
  - an uncaught exception, a console.error or console.assert message, or a browser log entry
    of level error (a failed load, a blocked script);
  - any request besides the page itself (the report must be self-contained);
  - a page wider than the window (at phone width only the tables may scroll, inside their box);
  - on the wide screen, a table with columns hidden behind a sideways scroll (the report's
    tables use the window's width, so every column is in view at 1920 px);
  - sorting that does not work: every header of every leaderboard table is clicked with real
    mouse events (twice: ascending, then descending), and the rows' `data-sort` keys must come
    out in order, missing values last, with the header's aria-sort set.
With --screenshots, a full-page PNG of each view is saved there (light.png, dark.png, phone.png, wide.png),
cut to the top --screenshot-height pixels when given.

Chromium is driven through the DevTools protocol over a pipe (--remote-debugging-pipe), so only
Python's standard library is needed. Exit status: 0 when every check passes, 1 when one fails,
2 when Chromium cannot be started.
"""

import argparse
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
import base64
from pathlib import Path

VIEWS = [
    # name, width, height, colour scheme, mobile
    ("light", 1280, 900, "light", False),
    ("dark", 1280, 900, "dark", False),
    ("phone", 390, 844, "light", True),
    ("wide", 1920, 1080, "light", False),
]

# The views where every table must show all its columns without scrolling sideways.
FULL_TABLE_VIEWS = ("wide",)

# Each scrolling table box whose content is wider than the box: its index and both widths.
HIDDEN_COLUMNS_JS = """
(() => Array.from(document.querySelectorAll(".table-wrap")).map((box, index) => ({
  table: index + 1, content: box.scrollWidth, box: box.clientWidth
})).filter(t => t.content > t.box + 1))()
"""


class BrowserError(Exception):
    pass


class Chromium:
    """A headless Chromium with one page, spoken to over fds 3 and 4."""

    def __init__(self, executable, timeout=60):
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="check-report-")
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()

        def child_fds():
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        args = [
            executable, "--headless", "--remote-debugging-pipe", "--no-sandbox",
            "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--hide-scrollbars",
            "--mute-audio", "--disable-extensions", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            "--force-device-scale-factor=1", f"--user-data-dir={self.profile}", "about:blank",
        ]
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log,
                                        preexec_fn=child_fds, pass_fds=(3, 4))
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def close(self):
        try:
            if self.process.poll() is None:
                try:
                    self.call("Browser.close", session=False, timeout=5)
                except BrowserError:
                    pass
                try:
                    self.process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        finally:
            os.close(self.to_browser)
            os.close(self.from_browser)
            shutil.rmtree(self.profile, ignore_errors=True)

    def browser_output(self):
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")

    def _read_message(self, deadline):
        while b"\0" not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise BrowserError("no answer from Chromium in time")
            ready, _, _ = select.select([self.from_browser], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise BrowserError("Chromium closed the pipe:\n" + self.browser_output()[-2000:])
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, params=None, session=True, timeout=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, method, timeout=None):
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            for index, event in enumerate(self.events):
                if event["method"] == method:
                    return self.events.pop(index)
            self.events.append(self._read_message(deadline))

    def open_page(self):
        target = self.call("Target.createTarget", {"url": "about:blank"}, session=False)
        attached = self.call("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}, session=False)
        self.session = attached["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise BrowserError("script failed: " + json.dumps(result["exceptionDetails"])[:500])
        return result["result"].get("value")

    def click(self, x, y):
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})


def problems_in_events(events, page_url):
    """Console errors, exceptions, error log entries and foreign requests among the events."""
    problems = []
    for event in events:
        method, params = event["method"], event.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            problems.append(f"uncaught exception: {text}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            text = " ".join(str(arg.get("value", arg.get("description", ""))) for arg in params.get("args", []))
            problems.append(f"console.{params['type']}: {text}")
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            entry = params["entry"]
            problems.append(f"browser log error ({entry.get('source')}): {entry.get('text')} {entry.get('url', '')}".rstrip())
        elif method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if url != page_url and not url.startswith("data:"):
                problems.append(f"the page requested {url}")
    return problems


# Reads every sortable table's column keys as the script sees them, plus the header buttons' positions.
TABLES_JS = """
(() => Array.from(document.querySelectorAll("table.sortable")).map((table, t) => ({
  table: t,
  headers: Array.from(table.tHead.rows[0].cells).map(th => th.textContent.trim()),
  rows: table.tBodies[0].rows.length
})))()
"""

BUTTON_JS = """
((t, c) => {
  const th = document.querySelectorAll("table.sortable")[t].tHead.rows[0].cells[c];
  const button = th.querySelector("button");
  button.scrollIntoView({block: "center", inline: "center"});
  const box = button.getBoundingClientRect();
  return {x: box.left + box.width / 2, y: box.top + box.height / 2};
})(%d, %d)
"""

COLUMN_JS = """
((t, c) => {
  const table = document.querySelectorAll("table.sortable")[t];
  return {
    sort: table.tHead.rows[0].cells[c].getAttribute("aria-sort"),
    keys: Array.from(table.tBodies[0].rows).map(row => {
      const cell = row.cells[c];
      const key = cell.getAttribute("data-sort");
      return key === null ? cell.textContent.trim() : (key === "missing" ? null : parseFloat(key));
    })
  };
})(%d, %d)
"""


def in_order(keys, ascending):
    present = [k for k in keys if k is not None]
    # Missing keys sort last in both directions.
    if keys[len(present):] != [None] * (len(keys) - len(present)):
        return False
    pairs = zip(present, present[1:])
    return all((a <= b) if ascending else (a >= b) for a, b in pairs)


def check_sorting(browser):
    problems = []
    tables = browser.evaluate(TABLES_JS)
    if not tables:
        return [], 0  # an empty database's report has no leaderboard
    clicks = 0
    for table in tables:
        if table["rows"] < 2:
            continue
        for column, header in enumerate(table["headers"]):
            for expected, label in (("ascending", True), ("descending", False)):
                point = browser.evaluate(BUTTON_JS % (table["table"], column))
                browser.click(point["x"], point["y"])
                clicks += 1
                state = browser.evaluate(COLUMN_JS % (table["table"], column))
                if state["sort"] != expected:
                    problems.append(f"table {table['table'] + 1}, column {header!r}: aria-sort is {state['sort']!r} "
                                    f"after a click, expected {expected!r}")
                elif not in_order(state["keys"], label):
                    problems.append(f"table {table['table'] + 1}, column {header!r}: rows not {expected}: {state['keys']}")
    return problems, clicks


def screenshot(browser, path, width, max_height=None):
    metrics = browser.call("Page.getLayoutMetrics")
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    height = int(size["height"]) + 1
    if max_height:
        height = min(height, max_height)
    shot = browser.call("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
    })
    Path(path).write_bytes(base64.b64decode(shot["data"]))


def check_view(browser, page_url, view, screenshot_path, max_height=None):
    name, width, height, scheme, mobile = view
    browser.call("Emulation.setDeviceMetricsOverride",
                 {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
    browser.call("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
    browser.events.clear()
    browser.call("Page.navigate", {"url": page_url})
    browser.wait_for("Page.loadEventFired")
    # Let late errors (timers, rendering) arrive.
    browser.evaluate("new Promise(resolve => setTimeout(resolve, 300))")
    problems = []
    layout = browser.evaluate("({page: document.documentElement.scrollWidth, window: window.innerWidth,"
                              " scheme: matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'})")
    if layout["scheme"] != scheme:
        problems.append(f"the page sees the {layout['scheme']} colour scheme, expected {scheme}")
    if layout["page"] > layout["window"]:
        problems.append(f"the page is {layout['page']} px wide in a {layout['window']} px window")
    if name in FULL_TABLE_VIEWS:
        for table in browser.evaluate(HIDDEN_COLUMNS_JS):
            problems.append(f"table box {table['table']}: {table['content'] - table['box']} px of columns hidden behind a "
                            f"sideways scroll ({table['content']} px of table in a {table['box']} px box, {width} px window)")
    if screenshot_path:
        screenshot(browser, screenshot_path, width, max_height)
    clicks = 0
    if name in ("light", "phone"):
        sorting, clicks = check_sorting(browser)
        problems += sorting
    # Read the events that arrived during loading, layout and clicking.
    browser.evaluate("0")
    problems += problems_in_events(browser.events, page_url)
    return [f"{name} ({width} px, {scheme}): {p}" for p in problems], clicks


def find_chromium():
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="+", metavar="page", help="a leaderboard.html to check")
    parser.add_argument("--screenshots", metavar="DIR",
                        help="save light.png, dark.png, phone.png and wide.png here (N-light.png and so on for the Nth of several pages)")
    parser.add_argument("--screenshot-height", type=int, metavar="PX",
                        help="cut screenshots to the top PX pixels of the page (default: the whole page)")
    parser.add_argument("--chromium", help="the browser executable (default: $CHROMIUM, then chromium on PATH)")
    args = parser.parse_args()

    executable = args.chromium or find_chromium()
    if not executable:
        print("check_report: chromium not found (Debian: apt-get install chromium)", file=sys.stderr)
        return 2
    pages = [Path(page).resolve() for page in args.pages]
    for page in pages:
        if not page.is_file():
            print(f"check_report: {page}: no such file", file=sys.stderr)
            return 2
    if args.screenshots:
        Path(args.screenshots).mkdir(parents=True, exist_ok=True)

    try:
        browser = Chromium(executable)
    except OSError as error:
        print(f"check_report: cannot start {executable}: {error}", file=sys.stderr)
        return 2
    failed = 0
    try:
        browser.open_page()
        for number, page in enumerate(pages, 1):
            problems, clicks = [], 0
            for view in VIEWS:
                path = None
                if args.screenshots:
                    name = f"{view[0]}.png" if len(pages) == 1 else f"{number}-{view[0]}.png"
                    path = Path(args.screenshots) / name
                found, count = check_view(browser, page.as_uri(), view, path, args.screenshot_height)
                problems += found
                clicks += count
            for problem in problems:
                print(f"{page}: {problem}")
            print(f"check_report: {page}: {len(VIEWS)} views, {clicks} header clicks, {len(problems)} problems: "
                  + ("FAILED" if problems else "ok"))
            failed += bool(problems)
    except BrowserError as error:
        print(f"check_report: {error}", file=sys.stderr)
        return 2
    finally:
        browser.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
