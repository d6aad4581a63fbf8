import ArgumentParser
import Foundation
import Report
import Tracker

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write Markdown and self-contained HTML leaderboards (ranked by mean validation accuracy).",
        discussion: """
            The report's tables, statistics and charts are explained in docs/report.md.

            Example:
              exp report --sweep iris --top 5 --out reports
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "Only this sweep (repeatable; default: every sweep).")
    var sweep: [String] = []

    @Option(name: .long, help: "Configurations per leaderboard.")
    var top: Int = 10

    @Option(name: .long, help: "Output folder.")
    var out: String = "reports"

    @Option(name: .long, help: "Test accuracy to compare against, as a fraction (default: 0.961, the UCI Iris figure).")
    var benchmark: Double = ReportOptions.irisBenchmark

    @Option(name: .long, help: "Formats to write, comma-separated: md, html.")
    var format: String = "md,html"

    func validate() throws {
        if top < 1 { throw ValidationError("--top must be at least 1") }
        if !(benchmark > 0 && benchmark <= 1) { throw ValidationError("--benchmark must be a fraction in (0, 1], e.g. 0.961") }
        if format.split(separator: ",").isEmpty { throw ValidationError("--format: name at least one format: md, html") }
        for name in format.split(separator: ",") where ReportFormat(rawValue: String(name)) == nil {
            throw ValidationError("--format: unknown format '\(name)'; valid: md, html")
        }
    }

    func run() throws {
        let store = try openStore(database.db, readOnly: true)
        let known = try store.sweepNames()
        for name in sweep where !known.contains(name) {
            throw ExpError.rejected("no sweep named '\(name)' in \(database.db); sweeps: \(known.joined(separator: ", "))")
        }
        var options = ReportOptions(outputDirectory: URL(fileURLWithPath: out))
        options.top = top
        options.benchmarkAccuracy = benchmark
        options.sweeps = sweep
        options.formats = Set(format.split(separator: ",").compactMap { ReportFormat(rawValue: String($0)) })
        let files: [URL]
        do {
            files = try ReportWriter.write(store: store, options: options)
        } catch let error as CocoaError {
            let reason = (error.userInfo[NSUnderlyingErrorKey] as? NSError)?.localizedDescription ?? error.localizedDescription
            throw ExpError.incomplete("cannot write the report to \(out): \(reason)")
        }
        files.forEach { print($0.relativePath) }
    }
}
