import Foundation
import Scoring
import Tracker

/// One sweep's leaderboard with the statistics of `exp report`, for a reader other than the
/// report files (`exp serve`'s API and pages): the same query (``LeaderboardQuery``), the same
/// ranking and tie rule (Tracker's `Ranking`), the same row-level evidence (exact 95%
/// Clopper–Pearson intervals on the rows each configuration's models classify, McNemar's exact
/// test against the baseline), and the same verdict text.
public struct SweepLeaderboard {
    /// The sweep's name.
    public var sweep: String
    /// The data set's name and version.
    public var dataset: (name: String, version: Int)
    /// The protocol's fields as (name, value text), in the report's order.
    public var protocolFields: [(name: String, value: String)]
    /// Runs by status, every status of `RunStatus.allCases` (zero included), in that order.
    public var statusCounts: [(status: RunStatus, count: Int)]
    /// The validation metric that ranks.
    public var metric: RankingMetric
    /// Hyperparameters with more than one value over the configurations, in display order.
    public var varying: [String]
    /// Hyperparameters with one value in every configuration, in display order.
    public var constant: [(name: String, value: String)]
    /// Every configuration, best first; the top `top` (and the baseline) carry row-level evidence.
    public var rows: [LeaderboardRow]
    /// The best configuration's models combined per row (the report's ensemble row); nil for a
    /// nested sweep or before any run finished.
    public var ensemble: LeaderboardRow?
    /// Why row-level figures are missing, when scoring the stored models failed.
    public var evidenceProblem: String?
    /// The test accuracy the results are compared with, and where it comes from.
    public var benchmark: Benchmark?
    /// The report's verdict, one paragraph per element.
    public var verdict: [String]
    /// The ranking rule in words.
    public var rankingRule: String
    /// Each varying hyperparameter's importance, largest spread first (``ParameterImportance``).
    public var importance: [ParameterImportance] { report.importance }
    /// Everything the report's section of the sweep shows (for ``ReportMarkup``).
    let report: SweepReport

    /// Reads sweep `name` as `exp report --metric metric --top top` would show it.
    /// - Parameters:
    ///   - scores: stored models' probabilities kept from earlier reads (``Scoring/ScoreCache``),
    ///     for a reader that reads the same sweep again and again; nil: every model is scored.
    ///   - curves: learning curves kept from earlier reads (``CurveCache``), for the same reader;
    ///     nil: every curve is read.
    /// - Throws: ``ReportError/unknownSweep(_:)``, `SQLiteError`.
    public static func read(store: RunStore, sweep name: String, metric: RankingMetric = .accuracy, top: Int = 10,
                            scores: ScoreCache? = nil, curves: CurveCache? = nil) throws -> SweepLeaderboard {
        let report = try LeaderboardQuery.sweepReport(store, name: name, metric: metric, top: top, scores: scores, curves: curves)
        let text = ReportText(metric: metric, benchmarkOverride: nil)
        let counts = Dictionary(report.info.statusCounts.map { ($0.status, $0.count) }, uniquingKeysWith: +)
        return SweepLeaderboard(
            sweep: report.info.name, dataset: (report.info.dataset.name, report.info.dataset.version),
            protocolFields: report.info.protocolFields,
            statusCounts: RunStatus.allCases.map { ($0, counts[$0.rawValue] ?? 0) },
            metric: metric, varying: report.parameters.varying, constant: report.parameters.constant,
            rows: report.rows, ensemble: report.ensemble, evidenceProblem: report.evidenceProblem,
            benchmark: report.benchmark, verdict: text.verdict(report), rankingRule: text.rankingRule(report), report: report)
    }
}

/// The report's markup for pages other than its files (`exp serve`): the page style sheet,
/// the table sorting script, the escaping, and the report's table and charts of one sweep.
public enum ReportMarkup {
    /// The report page's whole style sheet (tables, charts, light and dark themes) with the
    /// comparison page's.
    public static let css = HTMLReport.css + RunComparison.css + chartCSS

    /// The report's table sorting script (statements; run once per page load or new table).
    public static let sortScript = HTMLReport.script

    /// Text for HTML content or a quoted attribute value (``Escape/html(_:)``).
    public static func html(_ text: String) -> String { Escape.html(text) }

    /// The report's leaderboard table of `board` (the top `top` rows, the ensemble and baseline
    /// rows; sortable, hyperparameter headers marked `param`), with its notes.
    public static func table(_ board: SweepLeaderboard, top: Int) -> String {
        let text = ReportText(metric: board.metric, benchmarkOverride: nil)
        let page = HTMLReport(reports: [board.report], text: text, top: top, databasePath: "", generatedAt: Date())
        return page.leaderboardTable(board.report).render()
    }

    /// The report's charts of `board` (learning curves, accuracy by hyperparameter, parallel
    /// coordinates, confusion matrix), each an inline SVG in a `<figure>`, then the
    /// hyperparameter importance table.
    public static func charts(_ board: SweepLeaderboard) -> String {
        let page = HTMLReport(reports: [board.report], text: ReportText(metric: board.metric, benchmarkOverride: nil),
                              top: 0, databasePath: "", generatedAt: Date())
        return ReportCharts.all(board.report).map { "<figure>" + $0.render(standalone: false) + "</figure>" }.joined(separator: "\n")
            + "\n" + page.importanceTable(board.report).render()
    }

    /// The learning curves of `comparison`'s runs overlaid (the comparison page's chart), as
    /// inline SVG; nil when no epoch is stored.
    public static func curves(_ comparison: RunComparison) -> String? {
        ComparisonChart.curves(comparison)?.render(standalone: false)
    }
}
