import Foundation
import Tracker

/// A file format ``ReportWriter`` can write. The raw value is the file extension.
public enum ReportFormat: String, CaseIterable, Sendable {
    /// `leaderboard.md`, GitHub-flavoured Markdown, with its charts as SVG files beside it.
    case markdown = "md"
    /// `leaderboard.html`, one self-contained page with inline CSS, SVG charts and script.
    case html
}

/// What ``ReportWriter/write(store:options:)`` reports and where it writes.
public struct ReportOptions: Sendable {
    /// How many configurations each sweep's leaderboard table shows (the baseline row is added
    /// when it falls below them).
    public var top: Int = 10
    /// The sweeps to report, by name; empty means every sweep in the database.
    public var sweeps: [String] = []
    /// The folder the files are written to; created when missing.
    public var outputDirectory: URL
    /// Which files to write.
    public var formats: Set<ReportFormat> = [.markdown, .html]
    /// The test accuracy (a fraction) every sweep's results are compared with, in place of each
    /// sweep's own benchmark (its grid's `"benchmark"`); nil: each sweep's own, and a sweep
    /// without one gets no benchmark verdict.
    public var benchmarkAccuracy: Double? = nil
    /// The validation metric that ranks each sweep's configurations.
    public var metric: RankingMetric = .accuracy
    /// For each random-search sweep, by name, the hyperparameters its trials draw from a
    /// distribution: each gets a scatter of validation accuracy against its value in the HTML
    /// report. Sweeps not listed draw nothing.
    public var sampledHyperparameters: [String: [SampledHyperparameter]] = [:]

    /// Options writing to `outputDirectory`, with every other setting at its default.
    public init(outputDirectory: URL, top: Int = 10, sweeps: [String] = [],
                formats: Set<ReportFormat> = [.markdown, .html], benchmarkAccuracy: Double? = nil,
                metric: RankingMetric = .accuracy) {
        self.outputDirectory = outputDirectory
        self.top = top
        self.sweeps = sweeps
        self.formats = formats
        self.benchmarkAccuracy = benchmarkAccuracy
        self.metric = metric
    }
}

/// A hyperparameter a random search draws from a distribution, and whether on a log scale.
public struct SampledHyperparameter: Sendable, Equatable {
    public var name: String
    /// True when it is drawn log-uniformly: its scatter has a log axis.
    public var log: Bool

    public init(name: String, log: Bool) {
        self.name = name
        self.log = log
    }
}
