import Foundation
import Plot

/// `leaderboard.html`: one self-contained HTML5 page (inline CSS, inline SVG charts, a small
/// inline script that sorts a table when a header is clicked; nothing loaded from a network).
///
/// The page is built with Plot. Text from the database is escaped by ``Escape/html(_:)`` and
/// inserted as raw nodes, because Plot's own text escaping keeps entity-like sequences such as
/// `&lt;` unchanged and Plot never escapes attribute values.
struct HTMLReport {
    let reports: [SweepReport]
    let text: ReportText
    let top: Int
    let databasePath: String
    let generatedAt: Date

    /// Escaped text content.
    private func t<Context>(_ string: String) -> Node<Context> { .raw(Escape.html(string)) }

    /// A hyperparameter's name, escaped, that may wrap after each underscore
    /// (`learning_<wbr>rate`), so that a wide sweep's columns fit the window.
    static func breakable<Context>(_ name: String) -> Node<Context> {
        .raw(Escape.html(name).replacingOccurrences(of: "_", with: "_<wbr>"))
    }

    /// The `<head>` of every page exp writes: UTF-8, the phone viewport, light and dark
    /// colour schemes, the escaped title and the page's whole style sheet (no network).
    static func head(title: String, css: String) -> Node<HTML.DocumentContext> {
        .head(
            .meta(.charset(.utf8)),
            .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
            .meta(.name("color-scheme"), .content("light dark")),
            .element(named: "title", nodes: [.raw(Escape.html(title))]),
            .style(css)
        )
    }

    func render() -> String {
        let html = HTML(
            .lang(.english),
            Self.head(title: "Leaderboard", css: Self.css + chartCSS),
            .body(
                .header(
                    .h1("Leaderboard"),
                    .p(t(text.headline))
                ),
                .main(
                    summary(),
                    .group(groupedByDataset(reports).map { group in
                        .section(
                            .class("dataset"),
                            .h2(t(text.datasetHeading(group.dataset))),
                            .ul(.group(text.datasetDetails(group.dataset).map { detail in
                                .li(.strong(t(detail.label + ": ")), t(detail.value))
                            })),
                            .group(group.sweeps.map(section))
                        )
                    })
                ),
                .footer(.p(t(text.footer(databasePath: databasePath, generatedAt: generatedAt)))),
                .script(.raw(Self.script))
            )
        )
        return html.render() + "\n"
    }

    private func summary() -> Node<HTML.BodyContext> {
        guard !reports.isEmpty else { return .p("No sweep in the database.") }
        let columns = text.summaryColumns()
        return .section(
            .h2("Summary"),
            .div(.class("table-wrap"), .table(
                .thead(.tr(.group(columns.map { .th(t($0.header)) }))),
                .tbody(.group(reports.map { report in
                    .tr(.group(columns.map { column in
                        .td(.class(column.numeric ? "num" : (column.wraps ? "config" : "")), t(column.cell(report)))
                    }))
                }))
            ))
        )
    }

    private func section(_ report: SweepReport) -> Node<HTML.BodyContext> {
        var facts: [(String, String)] = [("Protocol", text.protocolText(report.info)), ("Runs", text.statusText(report.info)),
                                         ("Ranking", text.rankingRule(report)), ("Benchmark", text.benchmarkFact(report))]
        if let halving = text.halvingText(report.info) { facts.insert(("Successive halving", halving), at: 2) }
        if !report.parameters.constant.isEmpty {
            facts.append(("Same in every configuration",
                          report.parameters.constant.map { "\($0.name) \($0.value)" }.joined(separator: ", ")))
        }
        if let tags = report.info.tagsText { facts.append(("Tags", tags)) }
        let charts = ReportCharts.all(report)
        return .section(
            .class("sweep"),
            .h3(t("Sweep \(report.info.name)")),
            .ul(.class("facts"), .group(facts.map { label, value in .li(.strong(t(label + ": ")), t(value)) })),
            .if(report.info.note != nil, .element(named: "blockquote", nodes: [
                .class("sweep-note"), .p(.strong("Note: "), t(report.info.note ?? "")),
            ])),
            .div(.class("verdict"), .group(text.verdict(report).map { .p(t($0)) })),
            leaderboardTable(report),
            .group(charts.map { chart in
                .element(named: "figure", nodes: [Node<HTML.BodyContext>.raw(chart.render(standalone: false))])
            }),
            importanceTable(report)
        )
    }

    /// The per-hyperparameter importance (``ParameterImportance``), largest spread first, with
    /// its definition; nothing when no hyperparameter varies.
    func importanceTable(_ report: SweepReport) -> Node<HTML.BodyContext> {
        let importance = report.importance
        guard !importance.isEmpty else { return .empty }
        return .group(
            .h4("Hyperparameter importance"),
            .div(.class("table-wrap"), .table(
                .class("importance"),
                .thead(.tr(.group(ParameterImportance.header.enumerated().map { index, header in
                    .th(.attribute(named: "scope", value: "col"), .class(index == 1 ? "num" : ""), t(header))
                }))),
                .tbody(.group(importance.map { entry in
                    .tr(.group(entry.cells.enumerated().map { index, cell in
                        .td(.class(index == 1 ? "num" : (index == 2 ? "config" : "")), t(cell))
                    }))
                }))
            )),
            .p(.class("notes"), t(ReportText.importanceNote))
        )
    }

    func leaderboardTable(_ report: SweepReport) -> Node<HTML.BodyContext> {
        let rows = report.tableRows(top: top)
        guard !rows.isEmpty else { return .p("No configuration has runs yet.") }
        let columns = text.columns(report)
        let shownTop = min(top, report.rows.count)
        let configurations = rows.filter { $0.ensembleOf == nil }.count
        let caption = "Top \(shownTop) of \(report.rows.count) configurations" + (configurations > shownTop ? ", then the baseline" : "")
            + ". Click a header to sort."
        return .group(
            .div(.class("table-wrap"), .table(
                .class("sortable"),
                .caption(t(caption)),
                .thead(.tr(.group(columns.map { column in
                    .th(.attribute(named: "scope", value: "col"), .class(column.isParameter ? "param" : (column.numeric ? "num" : "")),
                        .element(named: "button", nodes: [Node<HTML.BodyContext>.attribute(named: "type", value: "button"),
                                                           column.isParameter ? Self.breakable(column.header) : t(column.header)]))
                }))),
                .tbody(.group(rows.map { row in
                    var classes = [String]()
                    if row.isBaseline { classes.append("baseline") }
                    if row.ensembleOf != nil { classes.append("ensemble") }
                    if row.divergedRuns + row.failedRuns > 0 { classes.append("unstable") }
                    return .tr(
                        .class(classes.joined(separator: " ")),
                        .group(columns.enumerated().map { index, column in
                            let cell = column.cell(row)
                            let cls = column.numeric ? "num" : ""
                            return .td(
                                .class(cls),
                                .attribute(named: "data-sort", value: cell.sortKey.map { String($0) } ?? "missing",
                                           ignoreIfValueIsEmpty: false),
                                t(cell.text)
                            )
                        })
                    )
                }))
            )),
            .ul(.class("notes"), .group(text.footnotes(report).map { .li(t($0)) }))
        )
    }

    static let css = """
    :root{--fg:#1f2328;--bg:#ffffff;--muted:#59636e;--line:#d0d7de;--head:#f6f8fa;--accent:#0072b2;\
    --good:#1a7f37;--mark:#fff8c5;--warn:#9a6700}
    @media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#9198a1;--line:#30363d;--head:#161b22;\
    --accent:#56b4e9;--good:#3fb950;--mark:#3b2e00;--warn:#d29922}}
    *{box-sizing:border-box}
    body{margin:0;padding:1rem 1.5rem;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
    h1,h2,h3{line-height:1.25}
    h2{border-bottom:1px solid var(--line);padding-bottom:.3rem;margin-top:2.5rem}
    .facts,.notes{padding-left:1.2rem}
    .sweep-note{margin:0 0 1rem;padding:.2rem 1rem;border-left:4px solid var(--line);white-space:pre-line}
    header p,.facts,.notes,.verdict,footer p{max-width:75rem}
    .notes{color:var(--muted);font-size:.85rem}
    .verdict{border-left:4px solid var(--accent);padding:.2rem .8rem;margin:1rem 0}
    .verdict p{margin:.4rem 0}
    .table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch;max-width:100%;margin:1rem 0}
    table{border-collapse:collapse;font-size:.9rem;min-width:100%}
    caption{text-align:left;color:var(--muted);padding:.3rem 0;position:sticky;left:0;max-width:calc(100vw - 2rem)}
    th,td{border:1px solid var(--line);padding:.3rem .5rem;white-space:nowrap}
    thead th{background:var(--head);vertical-align:bottom}
    table.sortable thead th{white-space:normal}
    td.config{white-space:normal;min-width:18rem}
    table.sortable tr>:first-child{position:sticky;left:0;background:var(--bg);box-shadow:inset -1px 0 var(--line)}
    table.sortable thead tr>:first-child{background:var(--head)}
    table.sortable tr.baseline>:first-child{background:var(--mark)}
    th button{background:none;border:0;padding:0;margin:0;font:inherit;font-weight:600;color:inherit;cursor:pointer;text-align:inherit}
    th button:focus-visible{outline:2px solid var(--accent)}
    th[aria-sort=ascending] button::after{content:" ▲"}
    th[aria-sort=descending] button::after{content:" ▼"}
    .num{text-align:right;font-variant-numeric:tabular-nums}
    tr.baseline td{background:var(--mark)}
    tr.ensemble td{font-style:italic}
    tr.unstable td{color:var(--warn)}
    figure{margin:1.5rem 0;overflow-x:auto}
    svg.chart{max-width:100%;height:auto;display:block}
    footer{margin-top:3rem;color:var(--muted);font-size:.85rem;border-top:1px solid var(--line)}
    @media (max-width:600px){body{padding:.5rem;font-size:14px}th,td{padding:.2rem .35rem}thead th{white-space:normal}td.config{min-width:14rem}\
    svg.chart{max-width:none}}

    """

    /// Sorts a table by the clicked column: numbers by `data-sort` (`missing` sorts last), other
    /// cells by text; a second click reverses the order. Written without `&` and `<` so that
    /// the page stays well-formed XML as well as HTML.
    static let script = """
    document.querySelectorAll("table.sortable").forEach(function (table) {
      var heads = table.tHead.rows[0].cells;
      Array.prototype.forEach.call(heads, function (th, column) {
        var button = th.querySelector("button");
        if (!button) return;
        button.addEventListener("click", function () {
          var ascending = th.getAttribute("aria-sort") !== "ascending";
          Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
          var body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.rows);
          function key(row) {
            var value = row.cells[column].getAttribute("data-sort");
            if (value === null) return row.cells[column].textContent.trim();
            return value === "missing" ? null : parseFloat(value);
          }
          rows.sort(function (a, b) {
            var x = key(a), y = key(b);
            if (x === null || y === null) return (x === null) - (y === null);
            var numbers = typeof x === "number";
            if (typeof y !== "number") numbers = false;
            var order = numbers ? x - y : String(x).localeCompare(String(y));
            return ascending ? order : -order;
          });
          rows.forEach(function (row) { body.appendChild(row); });
        });
      });
    });
    """
}
