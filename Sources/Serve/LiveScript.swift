import Report

/// The pages' own script (`/assets/live.js`): the report's table sorting, then live updates —
/// the sweeps' counts from `/api/events`, the leaderboard table reloaded when its sweep's counts
/// change (sorting and hyperparameter filters kept), a running run's curves reloaded every
/// second. Text from the data is set with `textContent` or comes escaped from the server.
enum LiveScript {
    static let source = "window.expSortable = function () {\n" + ReportMarkup.sortScript + "\n};\n" + live

    private static let live = #"""
// exp serve: live updates of the server-rendered pages. Reads only /api/ and the page
// fragments of its own server; every text from the data goes in through textContent.
"use strict";
(function () {
  var page = document.body.getAttribute("data-page");
  var banner = document.getElementById("db-state");

  function showState(database) {
    if (!banner || !database) return;
    var text = database.message || (database.state === "ok" ? "" : database.state);
    banner.textContent = text;
    banner.hidden = text === "";
  }

  function listen(onSnapshot) {
    if (!window.EventSource) return;
    var source = new EventSource("/api/events");
    source.onmessage = function (event) {
      var snapshot = JSON.parse(event.data);
      showState(snapshot.database);
      onSnapshot(snapshot);
    };
  }

  function cell(row, key) { return row.querySelector("[data-key=\"" + key + "\"]"); }

  function setSweepRow(row, sweep) {
    cell(row, "runs").textContent = String(sweep.runs);
    Object.keys(sweep.status_counts).forEach(function (status) {
      var target = cell(row, status);
      if (target) target.textContent = String(sweep.status_counts[status]);
    });
    var percent = sweep.progress === null ? 0 : Math.round(sweep.progress * 100);
    var bar = row.querySelector("progress");
    bar.value = percent;
    cell(row, "progress-text").textContent = percent + "%";
  }

  function sweepsPage() {
    var body = document.querySelector("#sweeps tbody");
    listen(function (snapshot) {
      // A sweep no longer in the file (another file was put in its place) leaves the table; the
      // last row is hidden instead, to be the pattern of the next. Nothing is read while the
      // file is missing: the rows stay as they were, under the banner.
      if (snapshot.database && snapshot.database.state === "missing") return;
      var names = (snapshot.sweeps || []).map(function (s) { return s.name; });
      Array.prototype.slice.call(body.rows).forEach(function (r) {
        if (names.indexOf(r.getAttribute("data-sweep")) !== -1) return;
        if (body.rows.length > 1) body.removeChild(r); else r.hidden = true;
      });
      (snapshot.sweeps || []).forEach(function (sweep) {
        var row = Array.prototype.find.call(body.rows, function (r) { return r.getAttribute("data-sweep") === sweep.name; });
        if (!row) {
          row = body.rows.length ? body.rows[0].cloneNode(true) : null;
          if (!row) { window.location.reload(); return; }
          row.hidden = false;
          row.setAttribute("data-sweep", sweep.name);
          var link = row.querySelector("a");
          link.textContent = sweep.name;
          link.setAttribute("href", "/sweeps/" + encodeURIComponent(sweep.name));
          cell(row, "dataset").textContent = sweep.dataset.name + " v" + sweep.dataset.version;
          body.appendChild(row);
        }
        setSweepRow(row, sweep);
      });
    });
  }

  // The report's sorting script, applied to the table again after each reload; the sort and
  // filters the reader chose are applied again too.
  var sorted = null;
  function filters(table) {
    var box = document.getElementById("filters");
    var chosen = {};
    Array.prototype.forEach.call(box.querySelectorAll("select"), function (s) { chosen[s.name] = s.value; });
    box.textContent = "";
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, column) {
      if (!th.classList.contains("param")) return;
      var name = th.textContent.replace(/[\u25b2\u25bc]/g, "").trim();
      var values = [];
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var text = row.cells[column].textContent;
        if (values.indexOf(text) === -1) values.push(text);
      });
      var label = document.createElement("label");
      label.textContent = name + " ";
      var select = document.createElement("select");
      select.name = name;
      select.setAttribute("data-column", String(column));
      var all = document.createElement("option");
      all.value = ""; all.textContent = "all";
      select.appendChild(all);
      values.forEach(function (value) {
        var option = document.createElement("option");
        option.value = value; option.textContent = value;
        select.appendChild(option);
      });
      if (chosen[name] && values.indexOf(chosen[name]) !== -1) select.value = chosen[name];
      select.addEventListener("change", function () { applyFilters(table); });
      label.appendChild(select);
      box.appendChild(label);
    });
    applyFilters(table);
  }

  function applyFilters(table) {
    var selects = document.querySelectorAll("#filters select");
    var shown = 0;
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var keep = Array.prototype.every.call(selects, function (s) {
        return s.value === "" || row.cells[Number(s.getAttribute("data-column"))].textContent === s.value;
      });
      row.hidden = !keep;
      if (keep) shown += 1;
    });
    var count = document.getElementById("shown");
    if (count) count.textContent = shown + " of " + table.tBodies[0].rows.length + " rows shown";
  }

  function prepareBoard() {
    var table = document.querySelector("#board table.sortable");
    if (!table) return;
    window.expSortable();
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
      var button = th.querySelector("button");
      if (button) button.addEventListener("click", function () {
        sorted = { column: column, order: th.getAttribute("aria-sort") };
      });
    });
    if (sorted) {
      var th = table.tHead.rows[0].cells[sorted.column];
      var order = sorted.order;
      if (th) {
        th.querySelector("button").click();
        if (order === "descending") th.querySelector("button").click();
      }
    }
    filters(table);
    linkRuns(table);
  }

  // The "Best run" column's ids become links to the runs' pages.
  function linkRuns(table) {
    var heads = table.tHead.rows[0].cells;
    var column = Array.prototype.findIndex.call(heads, function (th) { return th.textContent.indexOf("Best run") === 0; });
    if (column === -1) return;
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var target = row.cells[column];
      var id = target.textContent.trim();
      if (!/^[0-9]+$/.test(id)) return;
      var link = document.createElement("a");
      link.href = "/runs/" + id;
      link.textContent = id;
      target.textContent = "";
      target.appendChild(link);
    });
  }

  function leaderboardPage() {
    var name = document.body.getAttribute("data-sweep");
    var query = document.body.getAttribute("data-query") || "";
    var last = null;
    prepareBoard();
    listen(function (snapshot) {
      var sweep = (snapshot.sweeps || []).find(function (s) { return s.name === name; });
      if (!sweep) return;
      var counts = JSON.stringify(sweep.status_counts);
      var runs = document.getElementById("runs");
      if (runs) runs.textContent = Object.keys(sweep.status_counts).filter(function (s) { return sweep.status_counts[s] > 0; })
        .map(function (s) { return sweep.status_counts[s] + " " + s; }).join(", ");
      if (last !== null && counts !== last) {
        fetch("/sweeps/" + encodeURIComponent(name) + "/table" + query).then(function (r) {
          return r.ok ? r.text() : null;
        }).then(function (html) {
          if (html === null) return;
          document.getElementById("board").innerHTML = html;
          prepareBoard();
        });
      }
      last = counts;
    });
  }

  function runPage() {
    var id = document.body.getAttribute("data-run");
    var status = document.getElementById("status");
    function open(s) { return s === "queued" || s === "running"; }
    listen(function () {});
    if (!open(status.textContent)) return;
    var timer = window.setInterval(function () {
      fetch("/api/runs/" + id).then(function (r) { return r.ok ? r.json() : null; }).then(function (run) {
        if (!run) return;
        status.textContent = run.summary.status;
        var epochs = document.getElementById("epochs");
        if (epochs) epochs.textContent = String(run.curve.length);
        return fetch("/runs/" + id + "/curves").then(function (r) { return r.ok ? r.text() : null; }).then(function (svg) {
          if (svg !== null) document.getElementById("curves").innerHTML = svg;
          if (!open(run.summary.status)) { window.clearInterval(timer); window.location.reload(); }
        });
      });
    }, 1000);
  }

  if (page === "sweeps") sweepsPage();
  else if (page === "leaderboard") leaderboardPage();
  else if (page === "run") runPage();
  else if (page === "unavailable") listen(function (snapshot) {
    if (snapshot.database && snapshot.database.state !== "missing") window.location.reload();
  });
  else listen(function () {});
})();
"""#
}
