import Foundation

/// A file format ``ReportWriter`` can write. The raw value is the file extension.
public enum ReportFormat: String, CaseIterable, Sendable {
    /// `leaderboard.md`, GitHub-flavoured Markdown, with its charts as SVG files beside it.
    case markdown = "md"
    /// `leaderboard.html`, one self-contained page with inline CSS, SVG charts and script.
    case html
}

/// What ``ReportWriter/write(store:options:)`` reports and where it writes.
public struct ReportOptions: Sendable {
    /// The test accuracy to beat on UCI Iris (49 of 51 test rows in the project's seed run).
    public static let irisBenchmark = 0.961

    /// How many configurations each sweep's leaderboard table shows (the baseline row is added
    /// when it falls below them).
    public var top: Int = 10
    /// The sweeps to report, by name; empty means every sweep in the database.
    public var sweeps: [String] = []
    /// The folder the files are written to; created when missing.
    public var outputDirectory: URL
    /// Which files to write.
    public var formats: Set<ReportFormat> = [.markdown, .html]
    /// The accuracy (a fraction) that results are compared with: 0.961, the 96.1% test
    /// accuracy reported for Iris.
    public var benchmarkAccuracy: Double = ReportOptions.irisBenchmark

    /// Options writing to `outputDirectory`, with every other setting at its default.
    public init(outputDirectory: URL, top: Int = 10, sweeps: [String] = [],
                formats: Set<ReportFormat> = [.markdown, .html], benchmarkAccuracy: Double = ReportOptions.irisBenchmark) {
        self.outputDirectory = outputDirectory
        self.top = top
        self.sweeps = sweeps
        self.formats = formats
        self.benchmarkAccuracy = benchmarkAccuracy
    }
}
