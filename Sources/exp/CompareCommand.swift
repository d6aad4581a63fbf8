import ArgumentParser
import Foundation
import Report
import Tracker

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare", abstract: "Compare runs side by side: hyperparameters, summary metrics and learning curves.",
        discussion: """
            Hyperparameters that differ between the runs are marked with *. The learning curves (validation \
            accuracy and loss, per epoch) are drawn as text sparklines on one scale per metric; with --html, \
            a self-contained page shows the same tables and the curves overlaid as a chart.

            Examples:
              exp compare 12 40
              exp compare 12 40 41 --html compare.html
            """)

    @Argument(help: "Two or more run ids (runs.run_id).") var runIDs: [Int]
    @OptionGroup var database: DatabaseOptions
    @Option(name: .long, help: "Also write the comparison as a self-contained HTML page to this file.") var html: String?

    func validate() throws {
        if runIDs.count < 2 { throw ValidationError("name at least two runs to compare") }
        if let html, html.isEmpty { throw ValidationError("--html needs a file name") }
    }

    func run() throws {
        let store = try openStore(database.db, readOnly: true)
        let details = try runIDs.map { id -> RunDetail in
            guard let detail = try store.runDetail(id: Int64(id)) else { throw ExpError.rejected("no run \(id) in \(database.db)") }
            return detail
        }
        let comparison = RunComparison(details: details)
        let runHeaders = runIDs.map { "run \($0)" }
        var lines = [["", "hyperparameter"] + runHeaders]
        for row in comparison.hyperparameters {
            lines.append([row.differs ? "*" : "", row.name] + row.values.map(textValue))
        }
        lines.append(["", ""] + runIDs.map { _ in "" })
        lines.append(["", "metric"] + runHeaders)
        for row in comparison.metrics {
            lines.append(["", row.name] + row.values.map { value in
                if row.name.hasSuffix("_accuracy"), let v = value.double { return percent(v) }
                if case .real(let v) = value { return String(format: "%.5g", v) }
                return textValue(value)
            })
        }
        Self.printAligned(lines)
        let curves: [(String, (EpochRow) -> Double?)] = [("validation accuracy", \.validationAccuracy), ("validation loss", \.validationLoss)]
        for (title, metric) in curves {
            let series = comparison.curves.map { $0.map(metric) }
            guard let range = Sparkline.range(series) else { continue }
            print("\n\(title) per epoch (\(String(format: "%.4g", range.lowerBound)) to \(String(format: "%.4g", range.upperBound))):")
            for (id, values) in zip(runIDs, series) {
                print("  run \(id)\t\(Sparkline.line(values, width: 60, range: range))  (\(values.count) epochs)")
            }
        }
        if let html {
            do {
                try comparison.html(databasePath: database.db).write(toFile: html, atomically: true, encoding: .utf8)
            } catch {
                throw ExpError.incomplete("cannot write \(html): \((error as NSError).localizedDescription)")
            }
            print("\nwrote \(html)")
        }
    }

    static func printAligned(_ lines: [[String]]) {
        let widths = (0..<(lines.map(\.count).max() ?? 0)).map { column in lines.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        for line in lines {
            print(line.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
        }
    }
}
