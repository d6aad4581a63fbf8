import Foundation
import Report
import Tracker

/// The server-rendered pages: every sweep (`/`), a sweep's leaderboard (`/sweeps/NAME`), a run
/// (`/runs/ID`) and runs compared (`/compare?runs=ID,ID`), with the report's style sheet,
/// escaping (``ReportMarkup/html(_:)`` for every text from the data) and charts, and
/// ``LiveScript`` for the live updates. Nothing is loaded from another site.
struct Pages {
    let database: LiveDatabase

    func respond(_ segments: [String], _ query: QueryParameters) throws -> Reply {
        switch segments.count {
        case 0:
            try query.allowOnly([])
            return .page(try sweepsPage())
        case 2 where segments == ["assets", "live.js"]:
            try query.allowOnly([])
            return Reply(status: 200, contentType: "text/javascript; charset=utf-8", body: Data(LiveScript.source.utf8))
        case 2 where segments[0] == "sweeps":
            try query.allowOnly(["metric", "top"])
            let shared = try leaderboard(segments[1], query)
            var reply = Reply.page(leaderboardPage(shared.board, top: shared.top, query))
            reply.readAt = shared.reusedFrom
            return reply
        case 3 where segments[0] == "sweeps" && segments[2] == "table":
            try query.allowOnly(["metric", "top"])
            let shared = try leaderboard(segments[1], query)
            var reply = Reply.page(ReportMarkup.table(shared.board, top: shared.top))
            reply.readAt = shared.reusedFrom
            return reply
        case 2 where segments[0] == "runs":
            try query.allowOnly([])
            let id = try API.runID(segments[1])
            let detail = try runDetail(id)
            var reply = Reply.page(try runPage(detail, id: id))
            reply.stillCurrent = database.stillCurrent(detail, id: id)
            return reply
        case 3 where segments[0] == "runs" && segments[2] == "curves":
            try query.allowOnly([])
            let id = try API.runID(segments[1])
            let detail = try runDetail(id)
            var reply = Reply.page(ReportMarkup.curves(RunComparison(details: [detail])) ?? "<p>No epoch stored yet.</p>")
            reply.stillCurrent = database.stillCurrent(detail, id: id)
            return reply
        case 1 where segments[0] == "favicon.ico":
            // No icon: an empty answer, so browsers log no failed request.
            return Reply(status: 204, contentType: "image/x-icon", body: Data())
        case 1 where segments[0] == "compare":
            try query.allowOnly(["runs"])
            let ids = try query.runIDs("runs", count: 2...20)
            let details = try ids.map(runDetail)
            return .page(RunComparison(details: details).html(databasePath: database.path))
        default:
            throw Refusal.notFound("no such page: /\(segments.joined(separator: "/"))")
        }
    }

    private func h(_ text: String) -> String { ReportMarkup.html(text) }

    /// `text` as one URL path segment (everything but ASCII letters, digits and `-._~` encoded).
    static func segment(_ text: String) -> String {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// A whole page: the report's head and style, a state line for the database, `main`.
    func layout(title: String, page: String, attributes: [(String, String)] = [], main: String) -> String {
        let state = database.currentState
        let extra = attributes.map { " data-\($0.0)=\"\(h($0.1))\"" }.joined()
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark"><link rel="icon" href="data:,"><title>\(h(title))</title>
        <style>\(ReportMarkup.css)\(Self.css)</style></head>
        <body data-page="\(page)"\(extra)>
        <header><nav><a href="/">Sweeps</a></nav>
        <p id="db-state" role="status"\(state.message == nil ? " hidden" : "")>\(h(state.message ?? ""))</p></header>
        <main>
        \(main)
        </main>
        <footer><p>\(h("exp serve, reading \(database.path) read-only; updated live."))</p></footer>
        <script src="/assets/live.js"></script>
        </body></html>

        """
    }

    /// The page for a request that gets no answer: the status, the message, a link to every
    /// sweep. While the database is missing (503) the page reloads itself once it is back.
    func problemPage(status: Int, message: String) -> String {
        let title = Self.problemTitles[status] ?? "Error \(status)"
        return layout(title: "\(title) — exp serve", page: status == 503 ? "unavailable" : "problem", main: """
            <h1>\(h(title))</h1>
            <p>\(h(message))</p>
            <p><a href="/">Every sweep</a></p>
            """)
    }

    private static let problemTitles = [400: "Bad request", 404: "Not found", 500: "Server error", 503: "Database unavailable"]

    static let css = """
    nav a{margin-right:1rem;font-weight:600}
    #db-state{background:var(--mark);border-left:4px solid var(--warn);padding:.4rem .8rem}
    progress{width:6rem;vertical-align:middle}
    .filters label{display:inline-block;margin:0 1rem .5rem 0}
    .muted{color:var(--muted)}
    form.compare input{width:10rem}

    """

    func sweepsPage() throws -> String {
        let sweeps = try database.read { store in
            try store.sweepNames().compactMap { name -> (SweepOverview, [RunStatus: Int])? in
                guard let overview = try store.sweepOverview(named: name) else { return nil }
                return (overview, try store.statusCounts(sweepID: overview.sweepID))
            }
        }
        let heads = ["Sweep", "Data set", "Progress", "Runs"].map { "<th scope=\"col\">\($0)</th>" }.joined()
            + RunStatus.allCases.map { "<th scope=\"col\" class=\"num\">\($0.rawValue)</th>" }.joined()
        let rows = sweeps.map { overview, counts -> String in
            let total = counts.values.reduce(0, +)
            let done = total - (counts[.queued] ?? 0) - (counts[.running] ?? 0)
            let percent = total == 0 ? 0 : Int((Double(done) / Double(total) * 100).rounded())
            return "<tr data-sweep=\"\(h(overview.name))\"><td><a href=\"/sweeps/\(Self.segment(overview.name))\">\(h(overview.name))</a></td>"
                + "<td data-key=\"dataset\">\(h("\(overview.datasetName) v\(overview.datasetVersion)"))</td>"
                + "<td><progress max=\"100\" value=\"\(percent)\"></progress> <span data-key=\"progress-text\">\(percent)%</span></td>"
                + "<td class=\"num\" data-key=\"runs\">\(total)</td>"
                + RunStatus.allCases.map { "<td class=\"num\" data-key=\"\($0.rawValue)\">\(counts[$0] ?? 0)</td>" }.joined()
                + "</tr>"
        }
        let main = """
        <h1>Sweeps</h1>
        \(sweeps.isEmpty ? "<p>No sweep in the database yet; this page shows one as soon as it is stored.</p>" : "")
        <div class="table-wrap"><table id="sweeps"><caption>Runs by status, updated live; progress counts the runs neither queued nor running.</caption>
        <thead><tr>\(heads)</tr></thead><tbody>
        \(rows.joined(separator: "\n"))
        </tbody></table></div>
        """
        return layout(title: "Sweeps", page: "sweeps", main: main)
    }

    private func leaderboard(_ name: String, _ query: QueryParameters) throws -> (board: SweepLeaderboard, top: Int, reusedFrom: TimeInterval?) {
        let metric = try query.metric(), top = try query.integer("top", in: 1...10_000, default: 10)
        let shared = try database.leaderboard(name, metric: metric, top: top)
        return (shared.board, top, shared.reusedFrom)
    }

    func leaderboardPage(_ board: SweepLeaderboard, top: Int, _ query: QueryParameters) -> String {
        let runs = board.statusCounts.filter { $0.count > 0 }.map { "\($0.count) \($0.status.rawValue)" }.joined(separator: ", ")
        let facts: [(String, String)] = [
            ("Data set", "\(board.dataset.name) v\(board.dataset.version)"),
            ("Protocol", board.protocolFields.map { "\($0.name) \($0.value)" }.joined(separator: ", ")),
            ("Same in every configuration", board.constant.map { "\($0.name) \($0.value)" }.joined(separator: ", ")),
            ("Ranking", board.rankingRule),
        ].filter { !$0.1.isEmpty }
        var forwarded: [String] = []
        if let metric = query.values["metric"] { forwarded.append("metric=\(Self.segment(metric))") }
        if let top = query.values["top"] { forwarded.append("top=\(Self.segment(top))") }
        let main = """
        <h1>Sweep \(h(board.sweep))</h1>
        <ul class="facts"><li><strong>Runs: </strong><span id="runs">\(h(runs))</span></li>
        \(facts.map { "<li><strong>\(h($0.0)): </strong>\(h($0.1))</li>" }.joined(separator: "\n"))</ul>
        <div class="verdict">\(board.verdict.map { "<p>\(h($0))</p>" }.joined())</div>
        <div id="filters" class="filters"></div><p id="shown" class="muted"></p>
        <div id="board">\(ReportMarkup.table(board, top: top))</div>
        <form class="compare" method="get" action="/compare"><label>Compare runs <input name="runs" placeholder="3,7"></label> <button type="submit">Compare</button></form>
        \(ReportMarkup.charts(board))
        """
        return layout(title: "Sweep \(board.sweep)", page: "leaderboard",
                      attributes: [("sweep", board.sweep), ("query", forwarded.isEmpty ? "" : "?" + forwarded.joined(separator: "&"))],
                      main: main)
    }

    private func runDetail(_ id: Int64) throws -> RunDetail {
        guard let detail = try database.read({ try $0.runDetail(id: id) }) else { throw Refusal.notFound("no run \(id) in the database") }
        return detail
    }

    func runPage(_ detail: RunDetail, id: Int64) throws -> String {
        let (confusion, kinds) = try database.read { store in (try store.testConfusion(runID: id), try store.storedWeightKinds(runID: id)) }
        func value(_ name: String) -> SQLValue { detail.summary.first { $0.name == name }?.value ?? .null }
        func text(_ value: SQLValue) -> String {
            switch value {
            case .null: return "–"
            case .integer(let n): return String(n)
            case .real(let x): return String(x)
            case .text(let t): return t
            case .blob(let b): return "\(b.count) bytes"
            }
        }
        let sweep = value("sweep").string ?? ""
        let status = value("status").string ?? ""
        let config = (value("config").string.flatMap(JSONValue.parsing)).flatMap { value -> [(String, JSONValue)]? in
            if case .object(let members) = value { return members } else { return nil }
        } ?? []
        func configText(_ value: JSONValue) -> String {
            (try? value.encoded()).map { String(decoding: $0, as: UTF8.self) }.map { $0.hasPrefix("\"") ? String($0.dropFirst().dropLast()) : $0 } ?? ""
        }
        let configRows = config.map { "<tr><th scope=\"row\">\(h($0.0))</th><td>\(h(configText($0.1)))</td></tr>" }.joined()
        let summaryRows = detail.summary.filter { $0.name != "config" }
            .map { "<tr><th scope=\"row\">\(h($0.name))</th><td class=\"num\">\(h(text($0.value)))</td></tr>" }.joined()
        var matrix = "<p>No test confusion matrix stored (the run has not finished, or has no test rows).</p>"
        if let confusion, let counts = confusion.counts {
            let names = confusion.classNames
            matrix = "<div class=\"table-wrap\"><table><caption>Test rows: true class by row, predicted class by column.</caption><thead><tr><th scope=\"col\">true \\ predicted</th>"
                + names.map { "<th scope=\"col\">\(h($0))</th>" }.joined() + "</tr></thead><tbody>"
                + counts.enumerated().map { i, line in
                    "<tr><th scope=\"row\">\(h(i < names.count ? names[i] : "class \(i)"))</th>" + line.map { "<td class=\"num\">\($0)</td>" }.joined() + "</tr>"
                }.joined() + "</tbody></table></div>"
        }
        let curves = ReportMarkup.curves(RunComparison(details: [detail])) ?? "<p>No epoch stored yet.</p>"
        let weightLinks = kinds.isEmpty ? "none stored yet"
            : ["final", "best"].filter(kinds.contains).map { "<a href=\"/api/runs/\(id)/weights?kind=\($0)\">\($0)</a>" }.joined(separator: ", ")
        let main = """
        <h1>Run \(id)</h1>
        <ul class="facts"><li><strong>Sweep: </strong><a href="/sweeps/\(Self.segment(sweep))">\(h(sweep))</a></li>
        <li><strong>Status: </strong><span id="status">\(h(status))</span></li>
        <li><strong>Epochs stored: </strong><span id="epochs">\(detail.curve.count)</span></li>
        <li><strong>Weights (safetensors): </strong>\(weightLinks)</li></ul>
        <h2>Learning curves</h2>
        <figure id="curves">\(curves)</figure>
        <h2>Configuration</h2>
        <div class="table-wrap"><table>\(configRows)</table></div>
        <h2>Test confusion matrix</h2>
        \(matrix)
        <h2>Summary</h2>
        <div class="table-wrap"><table>\(summaryRows)</table></div>
        """
        return layout(title: "Run \(id)", page: "run", attributes: [("run", String(id))], main: main)
    }
}
