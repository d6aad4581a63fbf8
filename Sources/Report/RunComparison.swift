import Foundation
import NeuralNet
import Tracker

/// Stored runs side by side, as `exp compare` prints them and ``html(databasePath:generatedAt:)``
/// draws them: every hyperparameter of the schema (those whose values differ marked), the
/// summary metrics, and each run's learning curve.
public struct RunComparison: Sendable {
    /// One line of a side-by-side table: a name and one value per run.
    public struct Row: Sendable, Equatable {
        public var name: String
        /// One value per run, in the order of ``RunComparison/runIDs``.
        public var values: [SQLValue]
        /// True when the runs' values are not all the same (a hyperparameter that differs).
        public var differs: Bool
    }

    /// The `run_summary` columns compared, in this order.
    public static let metricNames = ["sweep", "status", "seed", "fold", "validation_accuracy", "validation_loss", "test_accuracy",
                                     "train_accuracy", "best_epoch", "epochs_run", "duration_seconds"]

    /// The runs' ids (`runs.run_id`), in the order given.
    public let runIDs: [Int64]
    /// Every hyperparameter of the schema, in the schema's order, as the configuration's JSON
    /// text (a key a stored configuration leaves out holds its default).
    public let hyperparameters: [Row]
    /// The summary metrics of ``metricNames``; accuracies are fractions in [0, 1], losses the
    /// mean per row, durations in seconds.
    public let metrics: [Row]
    /// Each run's metrics per epoch, in the order of ``runIDs``.
    public let curves: [[EpochRow]]

    /// Compares `details` (from ``Tracker/RunStore/runDetail(id:)``), in their order.
    public init(details: [RunDetail], schema: HyperparameterSchema = .current) {
        func value(_ detail: RunDetail, _ name: String) -> SQLValue {
            detail.summary.first { $0.name == name }?.value ?? .null
        }
        runIDs = details.map { value($0, "run_id").int.map { Int64($0) } ?? 0 }
        let configurations = details.map { detail -> [String: Any] in
            let text = value(detail, "config").string ?? "{}"
            return (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        }
        hyperparameters = schema.hyperparameters.map { p in
            let values = configurations.map { c in SQLValue.text(c[p.name].map(Self.text) ?? "\(p.defaultValue)") }
            return Row(name: p.name, values: values, differs: values.contains { $0 != values[0] })
        }
        metrics = Self.metricNames.map { name in
            let values = details.map { value($0, name) }
            return Row(name: name, values: values, differs: values.contains { $0 != values[0] })
        }
        curves = details.map(\.curve)
    }

    /// A configuration value as its JSON text (names without quotes, lists without spaces).
    static func text(_ value: Any) -> String {
        if let text = value as? String { return text }
        if let number = value as? NSNumber { return HyperparameterValue.text(of: number.doubleValue) }
        if let list = value as? [Any] { return "[" + list.map(text).joined(separator: ",") + "]" }
        return "\(value)"
    }
}
