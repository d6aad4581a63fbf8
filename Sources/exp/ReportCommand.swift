import ArgumentParser
import Foundation
import Report
import Sweep
import Tracker

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write Markdown and self-contained HTML leaderboards (ranked by a mean validation metric).",
        discussion: """
            Each sweep's configurations are ranked by the mean of the validation metric --metric names (accuracy \
            unless another is asked for; log loss: lower is better), then its standard deviation, validation loss \
            and config_sha256; configurations whose runs were stored before the metric was rank last, and the \
            report says how many. Each sweep's test rows are compared with its own benchmark, the grid's \
            "benchmark"; --benchmark sets one for every sweep, and a sweep with neither gets no benchmark verdict.

            Example:
              exp report --sweep wine --metric balanced_accuracy
              exp report --benchmark 0.95 --format html
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "Only this sweep (repeatable; default: every sweep).")
    var sweep: [String] = []

    @Option(name: .long, help: "Configurations per leaderboard.")
    var top: Int = 10

    @Option(name: .long, help: "Output folder.")
    var out: String = "reports"

    @Option(name: .long, help: RankingMetric.optionHelp)
    var metric: RankingMetric = .accuracy

    @Option(name: .long, help: "Test accuracy to compare every sweep with, as a fraction (default: each sweep's own, from its grid's \"benchmark\").")
    var benchmark: Double?

    @Option(name: .long, help: "Formats to write, comma-separated: md, html.")
    var format: String = "md,html"

    func validate() throws {
        if top < 1 { throw ValidationError("--top must be at least 1") }
        if let benchmark, !(benchmark > 0 && benchmark <= 1) { throw ValidationError("--benchmark must be a fraction in (0, 1], e.g. 0.961") }
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
        options.metric = metric
        options.sweeps = sweep
        options.formats = Set(format.split(separator: ",").compactMap { ReportFormat(rawValue: String($0)) })
        for name in sweep.isEmpty ? known : sweep {
            guard let space = try SearchSpace.stored(sweep: name, store: store) else { continue }
            options.sampledHyperparameters[name] = space.sampledHyperparameters.map { SampledHyperparameter(name: $0.name, log: $0.log) }
        }
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
