import ArgumentParser
import Foundation
import NeuralNet
import Tracker

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare", abstract: "Compare runs side by side: hyperparameters, summary metrics and learning curves.",
        discussion: """
            Hyperparameters that differ between the runs are marked with *. The learning curves (validation \
            accuracy and loss, per epoch) are drawn as text sparklines on one scale per metric.

            Example:
              exp compare 12 40
            """)

    @Argument(help: "Two or more run ids (runs.run_id).") var runIDs: [Int]
    @OptionGroup var database: DatabaseOptions

    static let metrics = ["sweep", "status", "seed", "fold", "validation_accuracy", "validation_loss", "test_accuracy",
                          "train_accuracy", "best_epoch", "epochs_run", "duration_seconds"]

    func validate() throws {
        if runIDs.count < 2 { throw ValidationError("name at least two runs to compare") }
    }

    func run() throws {
        let store = try openStore(database.db, readOnly: true)
        let details = try runIDs.map { id -> RunDetail in
            guard let detail = try store.runDetail(id: Int64(id)) else { throw ExpError.rejected("no run \(id) in \(database.db)") }
            return detail
        }
        let configurations = details.map { detail -> [String: Any] in
            let text = detail.summary.first { $0.name == "config" }?.value.string ?? "{}"
            return (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        }
        let schema = HyperparameterSchema.current
        var lines = [(["", "hyperparameter"] + runIDs.map { "run \($0)" })]
        for p in schema.hyperparameters {
            let values = configurations.map { c in c[p.name].map(Self.text) ?? "\(p.defaultValue)" }
            lines.append([Set(values).count > 1 ? "*" : "", p.name] + values)
        }
        lines.append(["", ""] + runIDs.map { _ in "" })
        lines.append(["", "metric"] + runIDs.map { "run \($0)" })
        for name in Self.metrics {
            lines.append(["", name] + details.map { detail in
                let value = detail.summary.first { $0.name == name }?.value ?? .null
                if name.hasSuffix("_accuracy"), let v = value.double { return percent(v) }
                if case .real(let v) = value { return String(format: "%.5g", v) }
                return textValue(value)
            })
        }
        Self.printAligned(lines)
        let curves: [(String, (EpochRow) -> Double?)] = [("validation accuracy", \.validationAccuracy), ("validation loss", \.validationLoss)]
        for (title, metric) in curves {
            let series = details.map { $0.curve.map(metric) }
            guard let range = Sparkline.range(series) else { continue }
            print("\n\(title) per epoch (\(String(format: "%.4g", range.lowerBound)) to \(String(format: "%.4g", range.upperBound))):")
            for (id, values) in zip(runIDs, series) {
                print("  run \(id)\t\(Sparkline.line(values, width: 60, range: range))  (\(values.count) epochs)")
            }
        }
    }

    /// A configuration value as its JSON text (names without quotes, lists without spaces).
    static func text(_ value: Any) -> String {
        if let text = value as? String { return text }
        if let number = value as? NSNumber { return HyperparameterValue.text(of: number.doubleValue) }
        if let list = value as? [Any] { return "[" + list.map(text).joined(separator: ",") + "]" }
        return "\(value)"
    }

    static func printAligned(_ lines: [[String]]) {
        let widths = (0..<(lines.map(\.count).max() ?? 0)).map { column in lines.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        for line in lines {
            print(line.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
        }
    }
}
