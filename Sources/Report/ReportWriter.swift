import Foundation
import Tracker

/// Writes the leaderboard report of a runs database: `leaderboard.md` with its SVG charts, and
/// a self-contained `leaderboard.html`.
///
/// The report only reads the database. It ranks each sweep's configurations by the mean of a
/// validation metric (``ReportOptions/metric``; accuracy: the order of the SQL `leaderboard`
/// view) and shows test accuracy beside it, compared with the sweep's own benchmark or
/// ``ReportOptions/benchmarkAccuracy``, never used to rank.
public enum ReportWriter {
    /// Writes the report files into `options.outputDirectory`, creating it.
    /// - Returns: the files written, the Markdown report first, then its charts, then the HTML page.
    /// - Throws: ``ReportError/unknownSweep(_:)`` for a name in `options.sweeps` that is not
    ///   stored, `SQLiteError`, or a file system error.
    public static func write(store: RunStore, options: ReportOptions) throws -> [URL] {
        let generatedAt = Date()
        let names = options.sweeps.isEmpty ? try store.sweepNames() : options.sweeps
        var slugs = Set<String>()
        let reports = try names.map { name -> SweepReport in
            var report = try LeaderboardQuery.sweepReport(store, name: name, benchmark: options.benchmarkAccuracy,
                                                          metric: options.metric, top: options.top)
            var slug = report.slug, suffix = 2
            while slugs.contains(slug) { slug = "\(report.slug)-\(suffix)"; suffix += 1 }
            slugs.insert(slug)
            report.slug = slug
            report.sampled = options.sampledHyperparameters[name] ?? []
            return report
        }
        let text = ReportText(metric: options.metric, benchmarkOverride: options.benchmarkAccuracy)
        let directory = options.outputDirectory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var written: [URL] = []
        func save(_ contents: String, _ name: String) throws {
            let url = directory.appendingPathComponent(name)
            try Data(contents.utf8).write(to: url, options: .atomic)
            written.append(url)
        }
        if options.formats.contains(.markdown) {
            var charts: [String: ChartFiles] = [:]
            var chartFiles: [(String, String)] = []
            for report in reports {
                var files = ChartFiles()
                if let chart = ReportCharts.learningCurves(report) {
                    files.curves = "leaderboard-\(report.slug)-curves.svg"
                    chartFiles.append((chart.render(standalone: true), files.curves!))
                }
                if let chart = ReportCharts.accuracyByParameter(report) {
                    files.parameters = "leaderboard-\(report.slug)-parameters.svg"
                    chartFiles.append((chart.render(standalone: true), files.parameters!))
                }
                if let chart = ReportCharts.rungCurves(report) {
                    files.rungs = "leaderboard-\(report.slug)-rungs.svg"
                    chartFiles.append((chart.render(standalone: true), files.rungs!))
                }
                if let chart = ReportCharts.parallelCoordinates(report) {
                    files.parallel = "leaderboard-\(report.slug)-parallel.svg"
                    chartFiles.append((chart.render(standalone: true), files.parallel!))
                }
                if let chart = ReportCharts.confusionMatrix(report) {
                    files.confusion = "leaderboard-\(report.slug)-confusion.svg"
                    chartFiles.append((chart.render(standalone: true), files.confusion!))
                }
                charts[report.info.name] = files
            }
            let markdown = MarkdownReport(reports: reports, text: text, top: options.top, databasePath: store.path,
                                          generatedAt: generatedAt, charts: charts)
            try save(markdown.render(), "leaderboard.md")
            for (contents, name) in chartFiles { try save(contents, name) }
        }
        if options.formats.contains(.html) {
            let html = HTMLReport(reports: reports, text: text, top: options.top, databasePath: store.path, generatedAt: generatedAt)
            try save(html.render(), "leaderboard.html")
        }
        return written
    }

    /// The configurations of one sweep, best first by the one ranking rule (Tracker's `Ranking`:
    /// the mean of the validation `metric` over the finished runs, then lower standard
    /// deviation, then lower mean validation loss, then configuration hash; configurations with
    /// diverged or failed runs last) — by accuracy, the order of the SQL `leaderboard` view.
    /// - Parameters:
    ///   - store: the runs database.
    ///   - sweep: the sweep's name.
    ///   - metric: the validation metric that ranks.
    /// - Throws: ``ReportError/unknownSweep(_:)``, or `SQLiteError`.
    public static func leaderboard(store: RunStore, sweep: String, metric: RankingMetric = .accuracy) throws -> [LeaderboardRow] {
        let info = try LeaderboardQuery.sweepInfo(store, name: sweep)
        let parameters = try LeaderboardQuery.parameters(store, sweepID: info.id)
        return try LeaderboardQuery.rows(store, sweepID: info.id, parameters: parameters.byConfig, metric: metric)
    }
}
